/**
 * `npm run flows:check [-- FLOWS_DIR [LOCALES_DIR]]`: checks every flow file against the real
 * validators, actions and locales; exits 1 listing every problem, else prints one summary line.
 */
import { resolve } from "node:path";
import { actionNames } from "../actions/names.js";
import { validators } from "../domain/validators/index.js";
import { createRenderer } from "../i18n/renderer.js";
import { formatProblem } from "./check-flows.js";
import { loadFlows } from "./load-flows.js";

const root = resolve(import.meta.dirname, "..", "..");
const [flowsDir = resolve(root, "flows"), localesDir = resolve(root, "locales")] = process.argv.slice(2);
const renderer = createRenderer({ localesDir, timeZone: "Asia/Ho_Chi_Minh" });
const { flows, problems, files } = loadFlows(flowsDir, {
  validatorNames: Object.keys(validators),
  actionNames,
  hasKey: (key, locale) => renderer.hasKey(key, locale),
});

if (problems.length > 0) {
  console.error(`flows:check found ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${formatProblem(p)}`);
  process.exitCode = 1;
} else {
  const steps = [...flows.flows.values()].reduce((n, f) => n + f.steps.length, 0);
  console.log(`flows:check ok: ${files} file(s), ${flows.flows.size} flow(s), ${steps} step(s)`);
}
