/**
 * The sending half every platform delivery shares: each platform call of one delivery is retried
 * with the channel definition's error classification, takes a slot of the send budget, and is
 * recorded in the send health and the metrics under the channel's name.
 */
import type { SendResult } from "../../engine/messages.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import type { ChannelDefinition } from "./definition.js";
import { DEFAULT_RETRY, withRetry, type RetryOptions } from "./retry.js";
import type { SendGate } from "./send-gate.js";
import type { SendHealth } from "./send-health.js";

/** What one delivery needs besides the platform call. */
export interface DeliveryDeps {
  metrics: ChannelMetrics;
  retry?: Partial<Omit<RetryOptions, "classify">> | undefined;
  /** Tries for the very first call (the sender lets its caller retry that one: nothing was sent yet). */
  firstAttempts?: number;
  /** The bot's send budget; a reply takes a slot (with priority) before each call. */
  gate?: SendGate | undefined;
  health?: SendHealth | undefined;
}

/** A function that makes one platform call of a delivery to `chatId`, retried and recorded; never throws. */
export function deliveryAttempts(
  channel: Pick<ChannelDefinition, "name" | "classifyError">,
  chatId: string,
  deps: DeliveryDeps,
): (call: () => Promise<unknown>) => Promise<SendResult> {
  let first = true;
  return async (call) => {
    const result = await withRetry(call, {
      ...DEFAULT_RETRY,
      ...deps.retry,
      ...(first && deps.firstAttempts !== undefined ? { attempts: deps.firstAttempts, rateLimitedTries: deps.firstAttempts } : {}),
      ...(deps.gate ? { gate: { gate: deps.gate, chatId, priority: "reply" as const } } : {}),
      classify: (error) => channel.classifyError(error),
    });
    deps.health?.record(result.ok ? { ok: true } : result);
    if (!result.ok) {
      deps.metrics.sendFailed(channel.name, result.kind);
      return result;
    }
    first = false;
    deps.metrics.messageSent(channel.name);
    return { ok: true };
  };
}
