/** `end`: optionally say something, drop the flow's data and return to the main menu (or go idle). */
import { z } from "zod";
import { baseStepFields, msgRefsSchema } from "./base.js";
import type { RunHandler } from "./step-types.js";

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
export const endHandler: RunHandler<EndStep> = {
  run(step, ctx) {
    const refs = step.text === undefined ? [] : Array.isArray(step.text) ? step.text : [step.text];
    return { kind: "end", replies: refs.map((r) => ({ text: [ctx.msg(r)] })), to: step.to };
  },
};
