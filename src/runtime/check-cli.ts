/**
 * `npm run flows:check [-- FLOWS_DIR [LOCALES_DIR]]`: checks every flow file against the real
 * validators, actions and locales; exits 1 listing every problem, else prints one summary line.
 */
import { resolve } from "node:path";
import { actionNames, staffActionNames } from "../actions/catalog.js";
import { validators } from "../domain/validators/index.js";
import { createRenderer } from "../i18n/renderer.js";
import { formatProblem } from "../engine/check-flows.js";
import { loadFlows } from "./load-flows.js";
import { readIntentsFile } from "./load-intents.js";
import { checkIntents } from "../domain/understand/check-intents.js";
import { loadLocales } from "../i18n/load-locales.js";
import { isRecord } from "../shared/guards.js";
import { dataKey } from "../engine/msg-ref.js";

const root = resolve(import.meta.dirname, "..", "..");
const [flowsDir = resolve(root, "flows"), localesDir = resolve(root, "locales")] = process.argv.slice(2);
const renderer = createRenderer({ localesDir, timeZone: "Asia/Ho_Chi_Minh" });
const locales = loadLocales(localesDir);
// The command menu these locales describe (the generated MENU_COMMANDS for the project's own).
const commands = locales.en.channels?.commands;
const menuCommands = isRecord(commands) ? Object.keys(commands) : [];
const { flows, problems, files } = loadFlows(flowsDir, {
  validatorNames: Object.keys(validators),
  actionNames,
  staffActionNames,
  menuCommands,
  hasKey: (key, locale) => renderer.hasKey(key, locale),
});

// What people type (flows/intents.yaml): targets, keys, duplicate examples; collisions are reported, not failed.
const intents = readIntentsFile(flowsDir);
const intentProblems = [...intents.problems];
let intentCount: number | undefined;
if (intents.file) {
  const sectionsJson = locales.vi.policies?.sections;
  const sections = isRecord(sectionsJson) ? Object.keys(sectionsJson) : [];
  const checked = checkIntents(intents.file, {
    flows,
    hasKey: (key, locale) => renderer.hasKey(key, locale),
    sectionIds: sections,
    render: (key, locale) => renderer.render({ key: dataKey(key) }, locale),
  });
  intentProblems.push(...checked.problems);
  intentCount = intents.file.intents.length;
  if (checked.collisions.length > 0) {
    console.log(`flows:check: ${checked.collisions.length} option(s) take a global word at their step (the option wins there):`);
    for (const c of checked.collisions) console.log(`  ${c}`);
  }
}

if (problems.length > 0 || intentProblems.length > 0) {
  console.error(`flows:check found ${problems.length + intentProblems.length} problem(s):`);
  for (const p of problems) console.error(`  ${formatProblem(p)}`);
  for (const p of intentProblems) console.error(`  ${p}`);
  process.exitCode = 1;
} else {
  const steps = [...flows.flows.values()].reduce((n, f) => n + f.steps.length, 0);
  console.log(`flows:check ok: ${files} file(s), ${flows.flows.size} flow(s), ${steps} step(s)${intentCount === undefined ? "" : `, ${intentCount} intent(s)`}`);
}
