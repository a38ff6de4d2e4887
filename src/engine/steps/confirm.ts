/** `confirm`: a yes/no question (text usually shows collected data through params). */
import { z } from "zod";
import { stepIdSchema } from "../ids.js";
import { typedNumber } from "../match-label.js";
import type { ReplyChoice } from "../engine-types.js";
import { baseStepFields, msgRefsSchema } from "./base.js";
import { outOfRange } from "./menu.js";
import { defineStep } from "./define-step.js";
import { msgs, refList, type StepContext } from "./step-types.js";

/** A `confirm` step. */
export const confirmStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("confirm"),
  /** One key, or a list shown as paragraphs of the one message that carries the choices. */
  text: msgRefsSchema,
  yes: stepIdSchema,
  no: stepIdSchema,
}).strict();

/** A parsed `confirm` step. */
export type ConfirmStep = z.infer<typeof confirmStepSchema>;

const choices = (_ctx: StepContext): ReplyChoice[] => [
  { id: "yes", label: { key: "common:yes" } },
  { id: "no", label: { key: "common:no" } },
];

/** Yes → `yes`, no → `no`; anything else asks again. */
export const confirmStep = defineStep({
  type: "confirm",
  schema: confirmStepSchema,
  waits: true,
  prompt(step, ctx) {
    return { text: msgs(ctx, step.text), choices: choices(ctx) };
  },
  input(step, ctx, input) {
    const id = input.kind === "choice" ? input.id : (ctx.match(input.text, choices(ctx)) ?? ctx.deps.understanding?.yesNo(input.text) ?? null);
    if (id === "yes") return { kind: "go", replies: [], to: { step: step.yes } };
    if (id === "no") return { kind: "go", replies: [], to: { step: step.no } };
    if (input.kind === "text" && typedNumber(input.text) !== null) return outOfRange(2);
    return { kind: "wait", replies: [{ text: [{ key: "common:errors.choose_option" }] }], prompt: true };
  },
  targets: (step) => [step.yes, step.no],
  texts: (step) => refList(step.text),
});
