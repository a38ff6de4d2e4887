/** Fields every step kind shares. */
import { z } from "zod";
import { stepIdSchema } from "../ids.js";
import { msgRefSchema } from "../msg-ref.js";

/** `id` (stable snake_case) and optional `help` (what `/help` says at this step). */
export const baseStepFields = {
  id: stepIdSchema,
  help: msgRefSchema.optional(),
};

/** One MsgRef or a list of them. */
export const msgRefsSchema = z.union([msgRefSchema, z.array(msgRefSchema).min(1)], {
  error: "must be an i18n key like ns:key, { key, params }, or a list of them",
});
