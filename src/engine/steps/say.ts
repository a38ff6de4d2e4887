/** `say`: show one or more messages (one bubble each), then go to `next`. */
import { z } from "zod";
import { stepIdSchema } from "../ids.js";
import { baseStepFields, msgRefsSchema } from "./base.js";
import type { RunHandler } from "./step-types.js";

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
export const sayHandler: RunHandler<SayStep> = {
  run(step, ctx) {
    const refs = Array.isArray(step.text) ? step.text : [step.text];
    return { kind: "go", replies: refs.map((r) => ({ text: [ctx.msg(r)] })), to: { step: step.next } };
  },
};
