/**
 * Sends rendered messages to one Zalo chat: choices as a numbered list, text split under the
 * 2000-character limit, each part retried on 429/network errors.
 */
import { ZALO_TEXT_LIMIT } from "./index.js";
import type { Outgoing, SendResult } from "../../engine/messages.js";
import type { ChannelMetrics } from "../shared/channel-metrics.js";
import { renderNumberedChoices } from "../shared/numbered-choices.js";
import { DEFAULT_RETRY, withRetry, type RetryOptions } from "../shared/retry.js";
import type { SendGate } from "../shared/send-gate.js";
import type { SendHealth } from "../shared/send-health.js";
import { foldMessages } from "../shared/fold-messages.js";
import { splitText } from "../shared/split-text.js";
import { classifyZaloError } from "./classify-zalo-error.js";
import type { ZaloClient } from "./zalo-client.js";


/** The text parts one Outgoing becomes on Zalo. Documents cannot be sent: their text still is. */
export function zaloParts(message: Outgoing): string[] {
  const text = renderNumberedChoices(message.text, message.choices);
  return splitText(text, ZALO_TEXT_LIMIT).filter((p) => p.trim() !== "");
}

/** Sends `messages` in order; stops at the first failure and returns it. */
export async function deliverToZalo(
  client: ZaloClient,
  chatId: string,
  messages: readonly Outgoing[],
  deps: {
    metrics: ChannelMetrics;
    retry?: Partial<Omit<RetryOptions, "classify">>;
    firstAttempts?: number;
    /** The bot's send budget; a reply takes a slot (with priority) before each call. */
    gate?: SendGate;
    health?: SendHealth;
  },
): Promise<SendResult> {
  let first = true;
  for (const message of foldMessages(messages, ZALO_TEXT_LIMIT)) {
    for (const part of zaloParts(message)) {
      const result = await withRetry(() => client.sendMessage(chatId, part), {
        ...DEFAULT_RETRY,
        ...deps.retry,
        // The sender lets its caller retry a first part (nothing was sent yet, so no duplicate).
        ...(first && deps.firstAttempts !== undefined ? { attempts: deps.firstAttempts, rateLimitedTries: deps.firstAttempts } : {}),
        ...(deps.gate ? { gate: { gate: deps.gate, chatId, priority: "reply" as const } } : {}),
        classify: classifyZaloError,
      });
      deps.health?.record(result.ok ? { ok: true } : result);
      if (!result.ok) {
        deps.metrics.sendFailed("zalo", result.kind);
        return result;
      }
      first = false;
      deps.metrics.messageSent("zalo");
    }
  }
  return { ok: true };
}

export { ZALO_TEXT_LIMIT };
