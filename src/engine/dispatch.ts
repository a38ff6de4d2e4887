/** One exhaustive switch per handler role: adding a step kind is a compile error until it is handled here. */
import type { ActionResult } from "./actions.js";
import type { Reply } from "./engine-types.js";
import type { Step } from "./flow-schema.js";
import { actionHandler, type ActionStep } from "./steps/action.js";
import { askHandler, type AskStep } from "./steps/ask.js";
import { confirmHandler, type ConfirmStep } from "./steps/confirm.js";
import { endHandler } from "./steps/end.js";
import { gotoHandler } from "./steps/goto.js";
import { menuHandler, type MenuStep } from "./steps/menu.js";
import { sayHandler } from "./steps/say.js";
import type { StepContext, StepInput, StepResult } from "./steps/step-types.js";

/** Steps that wait for the user. */
export type WaitingStep = MenuStep | AskStep | ConfirmStep;

/** Fails to compile when a step kind is not handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled step kind: ${JSON.stringify(value)}`);
}

/** True for menu, ask and confirm. */
export function isWaiting(step: Step): step is WaitingStep {
  switch (step.type) {
    case "menu": case "ask": case "confirm": return true;
    case "say": case "action": case "goto": case "end": return false;
    default: return assertNever(step);
  }
}

/** The prompt of a waiting step (choice ids not yet tagged). */
export function dispatchPrompt(step: WaitingStep, ctx: StepContext): Reply {
  switch (step.type) {
    case "menu": return menuHandler.prompt(step, ctx);
    case "ask": return askHandler.prompt(step, ctx);
    case "confirm": return confirmHandler.prompt(step, ctx);
    default: return assertNever(step);
  }
}

/** A waiting step's reaction to input. */
export function dispatchInput(step: WaitingStep, ctx: StepContext, input: StepInput): StepResult {
  switch (step.type) {
    case "menu": return menuHandler.input(step, ctx, input);
    case "ask": return askHandler.input(step, ctx, input);
    case "confirm": return confirmHandler.input(step, ctx, input);
    default: return assertNever(step);
  }
}

/** Runs a step that does not wait. */
export function dispatchRun(step: Exclude<Step, WaitingStep>, ctx: StepContext): StepResult {
  switch (step.type) {
    case "say": return sayHandler.run(step, ctx);
    case "action": return actionHandler.run(step, ctx);
    case "goto": return gotoHandler.run(step, ctx);
    case "end": return endHandler.run(step, ctx);
    default: return assertNever(step);
  }
}

/** Applies an action's result at its step. */
export function dispatchResult(step: ActionStep, ctx: StepContext, result: ActionResult): StepResult {
  return actionHandler.result(step, ctx, result);
}
