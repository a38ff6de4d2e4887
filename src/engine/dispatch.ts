/**
 * Finds a step's kind definition and calls its handlers. The lookup maps are built once at
 * module load from `STEP_KINDS`; per message it is one map lookup (no parsing, no switch).
 */
import type { ActionResult } from "./actions.js";
import type { Reply } from "./engine-types.js";
import type { Step } from "./flow-schema.js";
import { FlowError } from "./flow-error.js";
import type { RunStepKind, StepKind, WaitingStepKind } from "./steps/define-step.js";
import { STEP_KINDS } from "./steps/kinds.js";
import type { StepContext, StepInput, StepResult } from "./steps/step-types.js";

/** The `type:` of the kinds that wait for the user. */
type WaitingType = Extract<(typeof STEP_KINDS)[number], { waits: true }>["type"];

/** Steps that wait for the user (their kind has `waits: true`). */
export type WaitingStep = Extract<Step, { type: WaitingType }>;

/** Steps that run through. */
export type RunStep = Exclude<Step, WaitingStep>;

const waiting = new Map<string, WaitingStepKind<Step>>();
const running = new Map<string, RunStepKind<Step>>();
for (const kind of STEP_KINDS) {
  if (kind.waits) waiting.set(kind.type, kind);
  else running.set(kind.type, kind);
}

// Unreachable for parsed flows (the schema admits only defined kinds); a clear error beats a TypeError.
function unknownKind(step: Step): FlowError {
  return new FlowError("unknown step kind", { step: step.id, type: step.type });
}

/** The definition of a step's kind. */
export function kindOf(step: Step): StepKind<Step> {
  const kind = waiting.get(step.type) ?? running.get(step.type);
  if (!kind) throw unknownKind(step);
  return kind;
}

function waitingKind(step: WaitingStep): WaitingStepKind<Step> {
  const kind = waiting.get(step.type);
  if (!kind) throw unknownKind(step);
  return kind;
}

function runKind(step: Step): RunStepKind<Step> {
  const kind = running.get(step.type);
  if (!kind) throw unknownKind(step);
  return kind;
}

/** True when the step waits for the user (menu, ask, confirm). */
export function isWaiting(step: Step): step is WaitingStep {
  return waiting.has(step.type);
}

/** A later menu's Back returns to this step (menus). */
export function isBackPoint(step: WaitingStep): boolean {
  return waitingKind(step).backPoint === true;
}

/** Free text is the answer here (ask): global words always win over it. */
export function isFreeText(step: WaitingStep): boolean {
  return waitingKind(step).freeText === true;
}

/** True when the step receives the runner's action results (action). */
export function receivesResults(step: Step): step is RunStep {
  return running.get(step.type)?.result !== undefined;
}

/** The prompt of a waiting step (choice ids not yet tagged). */
export function dispatchPrompt(step: WaitingStep, ctx: StepContext): Reply {
  return waitingKind(step).prompt(step, ctx);
}

/** A waiting step's reaction to input. */
export function dispatchInput(step: WaitingStep, ctx: StepContext, input: StepInput): StepResult {
  return waitingKind(step).input(step, ctx, input);
}

/** Runs a step that does not wait. */
export function dispatchRun(step: RunStep, ctx: StepContext): StepResult {
  return runKind(step).run(step, ctx);
}

/** Applies an action's result at its step. */
export function dispatchResult(step: RunStep, ctx: StepContext, result: ActionResult): StepResult {
  const kind = runKind(step);
  if (!kind.result) throw new FlowError("an action result arrived while not at an action step", { step: step.id });
  return kind.result(step, ctx, result);
}
