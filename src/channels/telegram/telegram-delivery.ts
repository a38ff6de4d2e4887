/**
 * Sends rendered messages to one Telegram chat as plain text (no parse mode, so user-supplied
 * text needs no escaping): choices (or shortcuts) become an inline keyboard, long text is split at 4096.
 */
import { telegram, TELEGRAM_TEXT_LIMIT } from "./index.js";
import { Input, type Telegram } from "telegraf";
import type { InlineKeyboardMarkup } from "telegraf/types";
import type { Outgoing, OutgoingChoice, SendResult } from "../../engine/messages.js";
import { deliveryAttempts, type DeliveryDeps } from "../shared/delivery-attempts.js";
import { foldMessages } from "../shared/fold-messages.js";
import { splitText } from "../shared/split-text.js";


/** Telegram's callback_data limit, in UTF-8 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** The callback_data of a keyboard whose choice was already taken (see `markAnswered`). */
export const ANSWERED_CALLBACK_DATA = "~";

/** A choice id as callback_data; throws (a bug in a flow) when it does not fit Telegram's 64 bytes. */
export function callbackData(choice: OutgoingChoice): string {
  const bytes = Buffer.byteLength(choice.id, "utf8");
  if (bytes < 1 || bytes > CALLBACK_DATA_MAX_BYTES || choice.id === ANSWERED_CALLBACK_DATA) {
    throw new RangeError(`choice id does not fit callback_data (${bytes} bytes)`);
  }
  return choice.id;
}

/** One button per row: Vietnamese labels are long, and a column is easiest to read on a phone. */
export function inlineKeyboard(choices: readonly OutgoingChoice[]): InlineKeyboardMarkup {
  return { inline_keyboard: choices.map((c) => [{ text: c.label, callback_data: callbackData(c) }]) };
}

/** Options for `deliverToTelegram`. */
export type TelegramDeliveryDeps = DeliveryDeps;

/** Sends `messages` in order; stops at the first failure and returns it. */
export async function deliverToTelegram(
  api: Telegram,
  chatId: number | string,
  messages: readonly Outgoing[],
  deps: TelegramDeliveryDeps,
): Promise<SendResult> {
  const send = deliveryAttempts(telegram, String(chatId), deps);

  for (const message of foldMessages(messages, TELEGRAM_TEXT_LIMIT)) {
    // Shortcuts (the main menu after a hint) are buttons too: Telegram can show them.
    const buttons = message.choices?.length ? message.choices : message.shortcuts;
    const keyboard = buttons?.length ? inlineKeyboard(buttons) : undefined;
    let parts = splitText(message.text, TELEGRAM_TEXT_LIMIT).filter((p) => p.trim() !== "");
    // A keyboard needs a message to hang on; the engine always sends text, this is a safety net.
    if (parts.length === 0 && keyboard) parts = ["…"];
    for (const [i, part] of parts.entries()) {
      const extra = keyboard && i === parts.length - 1 ? { reply_markup: keyboard } : {};
      const result = await send(() => api.sendMessage(chatId, part, extra));
      if (!result.ok) return result;
    }
    const doc = message.document;
    if (doc) {
      const result = await send(() => api.sendDocument(chatId, Input.fromBuffer(doc.content, doc.filename), doc.caption ? { caption: doc.caption.slice(0, 1024) } : {}));
      if (!result.ok) return result;
    }
  }
  return { ok: true };
}

export { TELEGRAM_TEXT_LIMIT };
