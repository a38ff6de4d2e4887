/** Reads `flows/*.yaml` from disk (the engine's one file-system edge) and checks them. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkFlows, formatProblem, parseFlowText, type CheckOptions, type FlowProblem, type ParsedFlow } from "../engine/check-flows.js";
import { buildFlowSet, type FlowSet } from "../engine/flow-schema.js";
import { INTENTS_FILE } from "./load-intents.js";

/** Thrown by `loadFlowSet` when the flows have problems; `problems` lists them all. */
export class FlowLoadError extends Error {
  override readonly name = "FlowLoadError";
  constructor(readonly problems: readonly FlowProblem[]) {
    super(`flows have ${problems.length} problem(s):\n${problems.map(formatProblem).join("\n")}`);
  }
}

/** Every `*.yaml`/`*.yml` file in `dir`, parsed; the file names are shown relative to `label`. */
export function readFlowDir(dir: string, label = "flows"): { parsed: ParsedFlow[]; problems: FlowProblem[]; files: number } {
  // The intents file is data about typing, not a flow (src/runtime/load-intents.ts reads it).
  const names = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== INTENTS_FILE).sort();
  const parsed: ParsedFlow[] = [];
  const problems: FlowProblem[] = [];
  for (const name of names) {
    const result = parseFlowText(`${label}/${name}`, readFileSync(join(dir, name), "utf8"));
    if (result.flow) parsed.push(result.flow);
    problems.push(...result.problems);
  }
  return { parsed, problems, files: names.length };
}

/** Loads and checks every flow; returns the indexed flows and every problem found. */
export function loadFlows(dir: string, opts: CheckOptions): { flows: FlowSet; problems: FlowProblem[]; files: number } {
  const { parsed, problems, files } = readFlowDir(dir);
  problems.push(...checkFlows(parsed, opts));
  return { flows: buildFlowSet(parsed.map((p) => p.flow)), problems, files };
}

/** Loads the flows for the running bot; throws `FlowLoadError` listing every problem. */
export function loadFlowSet(dir: string, opts: CheckOptions): FlowSet {
  const { flows, problems } = loadFlows(dir, opts);
  if (problems.length > 0) throw new FlowLoadError(problems);
  return flows;
}
