/** `end`: optionally say something, drop the flow's data and return to the main menu (or go idle). */
import { z } from "zod";
import { baseStepFields, msgRefsSchema } from "./base.js";
import { defineStep } from "./define-step.js";
import { refList } from "./step-types.js";

/** An `end` step. */
export const endStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("end"),
  text: msgRefsSchema.optional(),
  /** `menu` (default) shows the main menu; `idle` shows nothing more. */
  to: z.enum(["menu", "idle"]).default("menu"),
}).strict();

/** A parsed `end` step. */
export type EndStep = z.infer<typeof endStepSchema>;

/** Leaves the flow. */
export const endStep = defineStep({
  type: "end",
  schema: endStepSchema,
  waits: false,
  run(step, ctx) {
    return { kind: "end", replies: refList(step.text).map((r) => ({ text: [ctx.msg(r)] })), to: step.to };
  },
  targets: () => [],
  texts: (step) => refList(step.text),
});
