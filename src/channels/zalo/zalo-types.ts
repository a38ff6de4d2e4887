/** Schemas for what the Zalo Bot API sends us (responses and updates), lenient where the docs are unsure. */
import { z } from "zod";

/** Ids arrive as strings; accept numbers too and normalise. */
const idSchema = z.union([z.string().min(1), z.number()]).transform(String);

/** One update: a message event (`message.text.received`, `message.image.received`, …). */
export const zaloUpdateSchema = z.object({
  event_name: z.string(),
  message: z.object({
    message_id: idSchema.optional(),
    date: z.number().optional(),
    text: z.string().optional(),
    chat: z.object({ id: idSchema, chat_type: z.string().optional() }),
    from: z
      .object({ id: idSchema, display_name: z.string().optional(), first_name: z.string().optional() })
      .optional(),
  }),
});

/** A parsed Zalo update. */
export type ZaloUpdate = z.infer<typeof zaloUpdateSchema>;

/** The response envelope of every method. */
export const zaloEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error_code: z.number().optional(),
    description: z.string().optional(),
    parameters: z.object({ retry_after: z.number().optional() }).optional(),
  }),
]);

/** `getMe` result. */
export const zaloMeSchema = z.object({
  id: idSchema,
  account_name: z.string().optional(),
  account_type: z.string().optional(),
  can_join_groups: z.boolean().optional(),
});

/** `sendMessage` result. */
export const zaloSentSchema = z.object({ message_id: idSchema.optional(), date: z.number().optional() });

/** `setWebhook` / `getWebhookInfo` / `deleteWebhook` result. */
export const zaloWebhookInfoSchema = z.object({ url: z.string(), updated_at: z.number().optional() });

/** Unwraps a webhook body, which may be the update itself or `{ ok, result: update }`. */
export function parseWebhookUpdate(body: unknown): ZaloUpdate | undefined {
  const wrapped = z.object({ ok: z.boolean(), result: z.unknown() }).safeParse(body);
  const parsed = zaloUpdateSchema.safeParse(wrapped.success ? wrapped.data.result : body);
  return parsed.success ? parsed.data : undefined;
}
