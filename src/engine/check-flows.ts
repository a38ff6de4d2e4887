/**
 * The flow checker: parses flow files and reports EVERY problem at once (file, flow, step,
 * what is wrong): schema errors, unknown step/flow references, unreachable steps, unknown
 * validators/actions, i18n keys missing in a locale, duplicate ids and commands. Pure.
 */
import { parse as parseYaml } from "yaml";
import { kindOf } from "./dispatch.js";
import { BUILTIN_COMMANDS, ENGINE_KEYS } from "./engine.js";
import { flowSchema, type Flow, type Step } from "./flow-schema.js";
import { HELP_FLOW, LANGUAGE_FLOW, MAIN_FLOW } from "./ids.js";
import { LOCALES, type Locale } from "./messages.js";
import { refKey, type MsgRef } from "./msg-ref.js";
import type { FlowTarget } from "./steps/define-step.js";
import { errorMessage, isRecord } from "../shared/guards.js";

/** One problem found in the flows. */
export interface FlowProblem {
  file: string;
  flow?: string;
  step?: string;
  message: string;
}

/** A flow file that parsed and passed its schema. */
export interface ParsedFlow {
  file: string;
  flow: Flow;
}

/** What the checker checks names and keys against. */
export interface CheckOptions {
  validatorNames: readonly string[];
  actionNames: readonly string[];
  /** Actions defined as staff-only (their definitions' `staff`): only staff flows may call them. */
  staffActionNames?: readonly string[];
  /** The command menu (the commands the locales describe): each must be built in or a public flow's command. */
  menuCommands?: readonly string[];
  hasKey(key: string, locale: Locale): boolean;
  locales?: readonly Locale[];
}

function stepIdAt(raw: unknown, index: unknown): string | undefined {
  if (typeof index !== "number" || !isRecord(raw)) return undefined;
  const step: unknown = Array.isArray(raw.steps) ? raw.steps[index] : undefined;
  return isRecord(step) && typeof step.id === "string" ? step.id : `#${index + 1}`;
}

/** Parses one flow file's text; schema errors come back as problems naming the step. */
export function parseFlowText(file: string, text: string): { flow?: ParsedFlow; problems: FlowProblem[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    return { problems: [{ file, message: `not valid YAML: ${errorMessage(err).split("\n")[0]}` }] };
  }
  const result = flowSchema.safeParse(raw);
  if (result.success) return { flow: { file, flow: result.data }, problems: [] };
  const flowId = isRecord(raw) && typeof raw.id === "string" ? raw.id : undefined;
  const problems = result.error.issues.map((issue): FlowProblem => {
    const path = issue.path;
    const inStep = path[0] === "steps" && path.length >= 2;
    const step = inStep ? stepIdAt(raw, path[1]) : undefined;
    const where = (inStep ? path.slice(2) : path).map(String).join(".");
    const missing = issue.code === "invalid_type" && /received undefined$/.test(issue.message);
    const message = `${where ? `${where}: ` : ""}${missing ? "required but missing" : issue.message}`;
    return { file, ...(flowId ? { flow: flowId } : {}), ...(step ? { step } : {}), message };
  });
  return { problems };
}

/** Same-flow step references of a step (for reference and reachability checks). */
export function stepTargets(step: Step): string[] {
  return kindOf(step).targets(step);
}

/** Other flows a step enters: [flow id, optional step id]. */
function flowTargets(step: Step): FlowTarget[] {
  return kindOf(step).flows?.(step) ?? [];
}

/** Every MsgRef a step shows. */
function stepTexts(step: Step): MsgRef[] {
  return [...(step.help ? [step.help] : []), ...kindOf(step).texts(step)];
}

/**
 * Keys a labelled param (`{ ref: data.sector, label: enterprise:sectors }`) can show: one per
 * static choice of the menus in this flow that store that field.
 */
function labelKeys(flow: Flow, ref: MsgRef): string[] {
  if (typeof ref === "string" || !ref.params) return [];
  const out: string[] = [];
  for (const spec of Object.values(ref.params)) {
    if (typeof spec !== "object" || !spec.ref.startsWith("data.")) continue;
    const field = spec.ref.slice("data.".length);
    for (const s of flow.steps) {
      const stored = kindOf(s).storedChoices?.(s);
      if (stored?.field === field) out.push(...stored.ids.map((id) => `${spec.label}.${id}`));
    }
  }
  return out;
}

type At = (step: string | undefined, message: string) => void;

/** References, names and texts of one step. */
function checkStep(step: Step, flow: Flow, ids: ReadonlySet<string>, all: ReadonlyMap<string, Flow>, opts: CheckOptions, at: At): void {
  for (const target of stepTargets(step)) if (!ids.has(target)) at(step.id, `unknown step "${target}"`);
  for (const [flowId, stepId] of flowTargets(step)) {
    const other = all.get(flowId);
    if (!other) at(step.id, `unknown flow "${flowId}"`);
    else if (stepId && !other.steps.some((s) => s.id === stepId)) at(step.id, `unknown step "${stepId}" in flow "${flowId}"`);
    // Staff entries must not show up for everyone (they would only lead to a refusal).
    if (other?.staff && !flow.staff) at(step.id, `links to staff-only flow "${flowId}" from a flow everyone can use`);
  }
  const env = { validatorNames: opts.validatorNames, actionNames: opts.actionNames, staffActionNames: opts.staffActionNames, staffFlow: flow.staff };
  for (const problem of kindOf(step).check?.(step, env) ?? []) at(step.id, problem);
  for (const ref of stepTexts(step)) for (const key of [refKey(ref), ...labelKeys(flow, ref)]) checkKey(key, opts, (m) => at(step.id, m));
}

/** Reports a key missing in any locale. */
function checkKey(key: string, opts: CheckOptions, report: (message: string) => void): void {
  for (const locale of opts.locales ?? LOCALES) if (!opts.hasKey(key, locale)) report(`i18n key "${key}" missing in ${locale}`);
}

/** Steps nothing leads to: not from `start`, nor from a step another flow enters directly. */
function unreachable(flow: Flow, all: ReadonlyMap<string, Flow>): Step[] {
  const byId = new Map(flow.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const entries = [flow.start];
  for (const other of all.values()) for (const s of other.steps) for (const [f, st] of flowTargets(s)) if (f === flow.id && st) entries.push(st);
  while (entries.length > 0) {
    const id = entries.pop()!;
    const step = byId.get(id);
    if (seen.has(id) || !step) continue;
    seen.add(id);
    entries.push(...stepTargets(step));
  }
  return flow.steps.filter((s) => !seen.has(s.id));
}

function checkFlow(p: ParsedFlow, all: ReadonlyMap<string, Flow>, opts: CheckOptions, out: FlowProblem[]): void {
  const { file, flow } = p;
  const at: At = (step, message) => out.push({ file, flow: flow.id, ...(step ? { step } : {}), message });
  const ids = new Set<string>();
  for (const step of flow.steps) {
    if (ids.has(step.id)) at(step.id, `duplicate step id "${step.id}"`);
    ids.add(step.id);
  }
  if (!ids.has(flow.start)) at(undefined, `start: unknown step "${flow.start}"`);
  for (const step of flow.steps) checkStep(step, flow, ids, all, opts, at);
  if (flow.help) checkKey(refKey(flow.help), opts, (m) => at(undefined, m));
  for (const step of unreachable(flow, all)) at(step.id, "unreachable step (nothing leads here from `start`)");
}

/** Checks parsed flows together; returns every problem found. */
export function checkFlows(parsed: readonly ParsedFlow[], opts: CheckOptions): FlowProblem[] {
  const out: FlowProblem[] = [];
  const all = new Map<string, Flow>();
  const files = new Map<string, string>();
  const commands = new Map<string, string>();
  for (const { file, flow } of parsed) {
    const first = files.get(flow.id);
    if (first) out.push({ file, flow: flow.id, message: `duplicate flow id "${flow.id}" (also in ${first})` });
    else {
      files.set(flow.id, file);
      all.set(flow.id, flow);
    }
    if (flow.command) {
      if (BUILTIN_COMMANDS.includes(flow.command)) out.push({ file, flow: flow.id, message: `command "/${flow.command}" is built in` });
      const other = commands.get(flow.command);
      if (other) out.push({ file, flow: flow.id, message: `duplicate command "/${flow.command}" (also flow "${other}")` });
      else commands.set(flow.command, flow.id);
    }
  }
  for (const p of parsed) if (all.get(p.flow.id) === p.flow) checkFlow(p, all, opts, out);
  for (const name of opts.menuCommands ?? []) {
    const flow = all.get(commands.get(name) ?? "");
    if (!BUILTIN_COMMANDS.includes(name) && (!flow || flow.staff)) out.push({ file: "locales/", message: `menu command "/${name}" (channels:commands.${name}) is neither built in nor a public flow's command` });
  }
  for (const required of [MAIN_FLOW, HELP_FLOW, LANGUAGE_FLOW]) {
    if (!all.has(required)) out.push({ file: "flows/", message: `required flow "${required}" is missing` });
  }
  const main = all.get(MAIN_FLOW);
  if (main && main.steps.find((s) => s.id === main.start)?.type !== "menu") out.push({ file: files.get(MAIN_FLOW) ?? "flows/", flow: MAIN_FLOW, message: "the main flow must start with a menu" });
  for (const key of ENGINE_KEYS) {
    for (const locale of opts.locales ?? LOCALES) if (!opts.hasKey(key, locale)) out.push({ file: `locales/${locale}/${key.split(":")[0]}.json`, message: `i18n key "${key}" (used by the engine) missing in ${locale}` });
  }
  return out;
}

/** One line per problem: `flows/x.yaml [flow x, step y]: message`. */
export function formatProblem(p: FlowProblem): string {
  const where = [p.flow ? `flow ${p.flow}` : "", p.step ? `step ${p.step}` : ""].filter(Boolean).join(", ");
  return `${p.file}${where ? ` [${where}]` : ""}: ${p.message}`;
}
