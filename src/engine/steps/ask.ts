/** `ask`: free input checked by a named validator; the clean value is stored in `data[store]`. */
import { z } from "zod";
import { fieldNameSchema, stepIdSchema } from "../ids.js";
import type { Reply, ReplyChoice } from "../engine-types.js";
import { FlowError } from "../flow-error.js";
import { baseStepFields, msgRefsSchema } from "./base.js";
import { defineStep } from "./define-step.js";
import { msgs, refList, type StepResult } from "./step-types.js";

/** After this many invalid answers to one question the bot also offers /help and /cancel. */
export const MAX_FAILURES = 3;

/** An `ask` step. */
export const askStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("ask"),
  /** One key, or a list shown as paragraphs of the one message that carries the choices. */
  text: msgRefsSchema,
  validator: z.string().min(1),
  store: fieldNameSchema,
  /** Adds a Skip choice; skipping stores null. */
  optional: z.boolean().default(false),
  next: stepIdSchema,
}).strict();

/** A parsed `ask` step. */
export type AskStep = z.infer<typeof askStepSchema>;

const SKIP: ReplyChoice = { id: "skip", label: { key: "common:skip" } };

/** Validates the answer; an invalid one gets the validator's reason and the same question. */
export const askStep = defineStep({
  type: "ask",
  schema: askStepSchema,
  waits: true,
  freeText: true,
  prompt(step, ctx) {
    const reply: Reply = { text: msgs(ctx, step.text) };
    if (step.optional) reply.choices = [SKIP];
    return reply;
  },
  input(step, ctx, input) {
    const skip: StepResult = { kind: "go", replies: [], to: { step: step.next }, patch: { data: { [step.store]: null } } };
    // Skip on the button, its exact words, or its number: "1" is what "1. Bỏ qua" shows, so it always means Skip.
    if (step.optional && (input.kind === "choice" ? input.id === SKIP.id : ctx.match(input.text, [SKIP], { exact: true }) === SKIP.id)) return skip;
    if (input.kind === "choice") return { kind: "wait", replies: [], prompt: true };
    const validator = ctx.deps.validators[step.validator];
    if (!validator) throw new FlowError("unknown validator", { step: step.id, validator: step.validator });
    const result = validator(input.text.trim(), { locale: ctx.locale, now: ctx.deps.now, timeZone: ctx.deps.timeZone });
    if (result.ok) return { kind: "go", replies: [], to: { step: step.next }, patch: { data: { [step.store]: result.value } } };
    const failures = ctx.session.failures + 1;
    const text = [{ key: result.reason, ...(result.params ? { params: result.params } : {}) }];
    if (failures >= MAX_FAILURES) text.push({ key: "common:errors.too_many_failures" });
    return { kind: "wait", replies: [{ text }], patch: { failures }, prompt: true };
  },
  targets: (step) => [step.next],
  texts: (step) => refList(step.text),
  check: (step, env) => (env.validatorNames.includes(step.validator) ? [] : [`unknown validator "${step.validator}"`]),
});
