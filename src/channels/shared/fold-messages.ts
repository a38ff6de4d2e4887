import type { Outgoing } from "../../engine/messages.js";

/**
 * Folds a plain-text message into the one after it when together they fit one platform
 * message: the user gets one bubble (and one notification) for "welcome + menu" or "notice +
 * question" instead of two or three, and the bot makes fewer calls. A message with a document
 * or choices (or shortcuts) ends a bubble, as does a language change; order and text are unchanged, and
 * paragraphs stay apart as the runner joins them (a blank line).
 */
export function foldMessages(messages: readonly Outgoing[], limit: number): Outgoing[] {
  const out: Outgoing[] = [];
  let carry: Outgoing | undefined;
  for (const next of messages) {
    let message = next;
    if (carry && carry.locale === message.locale && carry.text.length + 2 + message.text.length <= limit) {
      message = { ...message, text: [carry.text, message.text].filter((t) => t.trim() !== "").join("\n\n") };
    } else if (carry) {
      out.push(carry);
    }
    carry = undefined;
    if (!message.choices?.length && !message.shortcuts?.length && !message.document) carry = message;
    else out.push(message);
  }
  if (carry) out.push(carry);
  return out;
}
