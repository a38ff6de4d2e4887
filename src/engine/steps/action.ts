/**
 * `action`: run a named TypeScript handler (the runner does it and feeds the result back).
 * The result's `outcome` picks the next step through `on:` (`ok` defaults to `next`).
 */
import { z } from "zod";
import type { ActionResult } from "../actions.js";
import type { Reply } from "../engine-types.js";
import { FlowError } from "../flow-error.js";
import { isLocale } from "../messages.js";
import { dynamicChoiceIdSchema, stepIdSchema } from "../ids.js";
import { baseStepFields } from "./base.js";
import { RESERVED_CHOICE_IDS } from "./menu.js";
import { defineStep } from "./define-step.js";
import type { SessionPatch, StepContext, StepResult } from "./step-types.js";

/** An `action` step. */
export const actionStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("action"),
  action: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. save_enterprise"),
  next: stepIdSchema.optional(),
  on: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), stepIdSchema).optional(),
}).strict();

/** A parsed `action` step. */
export type ActionStep = z.infer<typeof actionStepSchema>;

/**
 * Actions the engine performs itself (no I/O): `set_locale` switches the session language to
 * `data.locale` (stored by the language menu).
 */
export const BUILTIN_ACTIONS: readonly string[] = ["set_locale"];

/** A built-in action's result, plus the session change only the engine may make. */
function builtin(step: ActionStep, ctx: StepContext): { result: ActionResult; patch?: SessionPatch } {
  if (step.action === "set_locale") {
    const wanted = ctx.session.data.locale;
    return isLocale(wanted) ? { result: { outcome: "ok" }, patch: { locale: wanted } } : { result: { outcome: "invalid" } };
  }
  throw new FlowError("unknown builtin action", { step: step.id, action: step.action });
}

function applyResult(step: ActionStep, result: ActionResult, extra?: SessionPatch): StepResult {
  const outcome = result.outcome ?? "ok";
  const target = step.on?.[outcome] ?? (outcome === "ok" ? step.next : undefined);
  // An outcome the flow does not map is a bug in the flow or the action: let the boundary report it.
  if (!target) throw new FlowError(`action returned unmapped outcome ${outcome}`, { step: step.id, action: step.action, outcome });
  for (const c of result.choices ?? []) {
    // Ids travel in callback data as `<tag>.<id>`: a bad one is the action's bug, caught here rather than in a later session load.
    if (!dynamicChoiceIdSchema.safeParse(c.id).success || RESERVED_CHOICE_IDS.includes(c.id)) throw new FlowError("action returned an invalid choice id", { step: step.id, action: step.action });
  }
  const replies: Reply[] = (result.say ?? []).map((m) => ({ text: [m] }));
  if (result.document) {
    const last = replies[replies.length - 1];
    if (last) last.document = result.document;
    else replies.push({ text: [], document: result.document });
  }
  const patch: SessionPatch = {
    ...(result.data ? { data: result.data } : {}),
    ...(result.vars ? { vars: result.vars } : {}),
    ...(result.choices ? { dynamic: result.choices } : {}),
    ...extra,
  };
  return { kind: "go", replies, to: { step: target }, patch };
}

/** Asks the runner for the action (built-ins are applied directly). */
export const actionStep = defineStep({
  type: "action",
  schema: actionStepSchema,
  waits: false,
  run(step, ctx) {
    if (BUILTIN_ACTIONS.includes(step.action)) {
      const { result, patch } = builtin(step, ctx);
      return applyResult(step, result, patch);
    }
    return { kind: "effect", action: step.action };
  },
  result: (step, _ctx, result) => applyResult(step, result),
  targets: (step) => [...(step.next ? [step.next] : []), ...Object.values(step.on ?? {})],
  texts: () => [],
  check(step, env) {
    const problems: string[] = [];
    if (!env.actionNames.includes(step.action) && !BUILTIN_ACTIONS.includes(step.action)) problems.push(`unknown action "${step.action}"`);
    if (!step.next && Object.keys(step.on ?? {}).length === 0) problems.push("an action needs `next` or `on:` (outcome → step)");
    if (!env.staffFlow && env.staffActionNames?.includes(step.action)) problems.push(`calls staff-only action "${step.action}" from a flow everyone can use`);
    return problems;
  },
});
