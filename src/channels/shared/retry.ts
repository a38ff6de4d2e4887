/**
 * Retrying a platform call: wait what a 429 asks, back off when the call surely did not arrive
 * (connection refused, a 4xx), give up at once on permanent errors and on an unknown outcome
 * (a reset, timeout or 5xx after the request went out: a retry could deliver it twice).
 * Used for conversation replies and for the senders.
 */
import type { SendResult } from "../../engine/messages.js";
import { backoffDelay, sleep } from "./backoff.js";

/** A failed SendResult. */
export type SendFailure = Exclude<SendResult, { ok: true }>;

/** Options for `withRetry`. */
export interface RetryOptions {
  /** Total tries including the first. */
  attempts: number;
  baseMs: number;
  capMs: number;
  /** A 429 asking to wait longer than this is not waited for here; the failure is returned. */
  maxWaitMs: number;
  /** Maps a thrown error to a failure kind. */
  classify: (error: unknown) => SendFailure;
  signal?: AbortSignal;
}

/** Sensible defaults for replies inside a conversation. */
export const DEFAULT_RETRY: Omit<RetryOptions, "classify"> = { attempts: 3, baseMs: 500, capMs: 5_000, maxWaitMs: 10_000 };

/** Runs `call` until it succeeds, fails permanently or runs out of attempts; never throws. */
export async function withRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions,
): Promise<{ ok: true; value: T } | SendFailure> {
  for (let attempt = 1; ; attempt++) {
    let failure: SendFailure;
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      failure = options.classify(error);
    }
    if (failure.kind === "unreachable" || failure.kind === "unknown" || attempt >= options.attempts || options.signal?.aborted) return failure;
    const wait =
      failure.kind === "rate_limited" ? failure.retryAfterMs : backoffDelay(attempt, options);
    if (wait > options.maxWaitMs) return failure;
    await sleep(wait, options.signal);
  }
}
