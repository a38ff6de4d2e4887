/** `confirm`: a yes/no question (text usually shows collected data through params). */
import { z } from "zod";
import { stepIdSchema } from "../ids.js";
import { msgRefSchema } from "../msg-ref.js";
import { baseStepFields } from "./base.js";
import type { StepContext, WaitingHandler } from "./step-types.js";

/** A `confirm` step. */
export const confirmStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("confirm"),
  text: msgRefSchema,
  yes: stepIdSchema,
  no: stepIdSchema,
}).strict();

/** A parsed `confirm` step. */
export type ConfirmStep = z.infer<typeof confirmStepSchema>;

const choices = (_ctx: StepContext) => [
  { id: "yes", label: { key: "common:yes" } },
  { id: "no", label: { key: "common:no" } },
];

/** Yes → `yes`, no → `no`; anything else asks again. */
export const confirmHandler: WaitingHandler<ConfirmStep> = {
  prompt(step, ctx) {
    return { text: [ctx.msg(step.text)], choices: choices(ctx) };
  },
  input(step, ctx, input) {
    const id = input.kind === "choice" ? input.id : ctx.match(input.text, choices(ctx));
    if (id === "yes") return { kind: "go", replies: [], to: { step: step.yes } };
    if (id === "no") return { kind: "go", replies: [], to: { step: step.no } };
    return { kind: "wait", replies: [{ text: [{ key: "common:errors.choose_option" }] }], prompt: true };
  },
};
