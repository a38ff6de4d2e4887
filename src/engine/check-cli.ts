/** `npm run flows:check`: checks every flow file and locale; exits non-zero listing every problem. */
import { resolve } from "node:path";
import { actionNames } from "../actions/names.js";
import { validators } from "../domain/validators/index.js";
import { createRenderer } from "../i18n/renderer.js";
import { formatProblem } from "./check-flows.js";
import { loadFlows } from "./load-flows.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const { flows, problems, files } = loadFlows(resolve(root, "flows"), {
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
