/**
 * The shape of a Telegram update as the bot relies on it, checked at the edge before anything
 * is stored or handled: a body that does not match is refused (counted, never a 5xx).
 * Fields the bot does not read pass through untouched: the body itself is what is passed on,
 * so the schemas are plain (stripping) objects, which zod checks about twice as fast as loose
 * ones (those copy every unknown field).
 */
import { z } from "zod";
import type { Update } from "telegraf/types";

const user = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  language_code: z.string().optional(),
});
const chat = z.object({ id: z.number().int(), type: z.string() });
const message = z.object({
  message_id: z.number().int(),
  date: z.number().optional(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
});
const callbackQuery = z.object({
  id: z.string().min(1),
  from: user,
  data: z.string().optional(),
  message: message.optional(),
});

/** A Telegram update with a valid `message` or `callback_query` when it has one (other kinds are ignored). */
export const telegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
});

/** Whether the body has the shape above (the fields the bot reads; the rest is Telegram's, passed through). */
function isTrustedUpdate(body: unknown): body is Update {
  return telegramUpdateSchema.safeParse(body).success;
}

/** The update, or undefined when the body is not one the bot can trust. */
export function parseTelegramUpdate(body: unknown): Update | undefined {
  return isTrustedUpdate(body) ? body : undefined;
}
