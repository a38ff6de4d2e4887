/**
 * Sends rendered messages to one Zalo chat: choices as a numbered list, text split under the
 * 2000-character limit, each part retried on 429/network errors.
 */
import { zalo, ZALO_TEXT_LIMIT } from "./index.js";
import type { Outgoing, SendResult } from "../../engine/messages.js";
import { deliveryAttempts, type DeliveryDeps } from "../shared/delivery-attempts.js";
import { renderNumberedChoices } from "../shared/numbered-choices.js";
import { foldMessages } from "../shared/fold-messages.js";
import { splitText } from "../shared/split-text.js";
import type { ZaloClient } from "./zalo-client.js";


/** The text parts one Outgoing becomes on Zalo. Documents cannot be sent: their text still is. */
export function zaloParts(message: Outgoing): string[] {
  const text = renderNumberedChoices(message.text, message.choices);
  return splitText(text, ZALO_TEXT_LIMIT).filter((p) => p.trim() !== "");
}

/** Sends `messages` in order; stops at the first failure and returns it. */
export async function deliverToZalo(client: ZaloClient, chatId: string, messages: readonly Outgoing[], deps: DeliveryDeps): Promise<SendResult> {
  const send = deliveryAttempts(zalo, chatId, deps);
  for (const message of foldMessages(messages, ZALO_TEXT_LIMIT)) {
    for (const part of zaloParts(message)) {
      const result = await send(() => client.sendMessage(chatId, part));
      if (!result.ok) return result;
    }
  }
  return { ok: true };
}

export { ZALO_TEXT_LIMIT };
