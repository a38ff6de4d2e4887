/** `say`: show one or more messages (one bubble each), then go to `next`. */
import { z } from "zod";
import { stepIdSchema } from "../ids.js";
import { baseStepFields, msgRefsSchema } from "./base.js";
import { defineStep } from "./define-step.js";
import { refList } from "./step-types.js";

/** A `say` step. */
export const sayStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("say"),
  text: msgRefsSchema,
  next: stepIdSchema,
}).strict();

/** A parsed `say` step. */
export type SayStep = z.infer<typeof sayStepSchema>;

/** Shows each message as its own bubble and moves on. */
export const sayStep = defineStep({
  type: "say",
  schema: sayStepSchema,
  waits: false,
  run(step, ctx) {
    return { kind: "go", replies: refList(step.text).map((r) => ({ text: [ctx.msg(r)] })), to: { step: step.next } };
  },
  targets: (step) => [step.next],
  texts: (step) => refList(step.text),
});
