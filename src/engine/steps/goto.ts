/** `goto`: continue in another flow (at its start or a named step), keeping the collected data. */
import { z } from "zod";
import { flowIdSchema, stepIdSchema } from "../ids.js";
import { baseStepFields } from "./base.js";
import { defineStep } from "./define-step.js";

/** A `goto` step. */
export const gotoStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("goto"),
  flow: flowIdSchema,
  step: stepIdSchema.optional(),
}).strict();

/** A parsed `goto` step. */
export type GotoStep = z.infer<typeof gotoStepSchema>;

/** Jumps; data is kept so one conversation can hand over to another. */
export const gotoStep = defineStep({
  type: "goto",
  schema: gotoStepSchema,
  waits: false,
  run(step) {
    return { kind: "go", replies: [], to: { flow: step.flow, step: step.step, via: "goto" } };
  },
  targets: () => [],
  flows: (step) => [[step.flow, step.step]],
  texts: () => [],
});
