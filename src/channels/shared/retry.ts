/**
 * Retrying a platform call: wait what a 429 asks, back off when the call surely did not arrive
 * (connection refused, a 4xx), give up at once on permanent errors and on an unknown outcome
 * (a reset, timeout or 5xx after the request went out: a retry could deliver it twice).
 * Each try takes a slot of the bot's send budget first, when a gate is given.
 * Used for conversation replies and for the senders.
 */
import type { SendResult } from "../../engine/messages.js";
import { backoffDelay, sleep } from "./backoff.js";
import type { SendGate, SendPriority } from "./send-gate.js";

/** A failed SendResult. */
export type SendFailure = Exclude<SendResult, { ok: true }>;

/** Options for `withRetry`. */
export interface RetryOptions {
  /** Tries for a not-delivered failure, including the first. */
  attempts: number;
  /** Tries answered with a 429 before giving up (each waits its retry_after). */
  rateLimitedTries?: number;
  baseMs: number;
  capMs: number;
  /**
   * The most all waits together may take (ms): a 429 asking to wait past it is not waited for;
   * the failure is returned. For replies: `REPLY_MAX_WAIT_S`.
   */
  maxWaitMs: number;
  /** Maps a thrown error to a failure kind. */
  classify: (error: unknown) => SendFailure;
  signal?: AbortSignal;
  /** The bot's send budget: a slot is taken before each try (given back on a 429). */
  gate?: { gate: SendGate; chatId: string; priority: SendPriority };
}

/** Sensible defaults for replies inside a conversation. */
export const DEFAULT_RETRY: Omit<RetryOptions, "classify"> = { attempts: 3, rateLimitedTries: 20, baseMs: 500, capMs: 5_000, maxWaitMs: 60_000 };

/** Runs `call` until it succeeds, fails permanently or runs out of attempts or time; never throws. */
export async function withRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions,
): Promise<{ ok: true; value: T } | SendFailure> {
  const deadline = Date.now() + options.maxWaitMs;
  let limited = 0;
  for (let attempt = 1; ; ) {
    let failure: SendFailure;
    const release = options.gate ? await options.gate.gate.acquire(options.gate.chatId, options.gate.priority) : undefined;
    try {
      const value = await call();
      release?.("sent");
      return { ok: true, value };
    } catch (error) {
      failure = options.classify(error);
      release?.(failure.kind === "rate_limited" ? "rejected" : "sent");
    }
    if (failure.kind === "unreachable" || failure.kind === "unknown" || options.signal?.aborted) return failure;
    let wait: number;
    if (failure.kind === "rate_limited") {
      if (++limited >= (options.rateLimitedTries ?? DEFAULT_RETRY.rateLimitedTries ?? 20)) return failure;
      wait = failure.retryAfterMs;
      // Nothing goes to this chat before the platform's time, whoever sends it.
      options.gate?.gate.deferChat(options.gate.chatId, Date.now() + wait);
    } else {
      if (attempt++ >= options.attempts) return failure;
      wait = backoffDelay(attempt - 1, options);
    }
    if (Date.now() + wait > deadline) return failure;
    await sleep(wait, options.signal);
  }
}
