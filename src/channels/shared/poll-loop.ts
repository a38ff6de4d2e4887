/**
 * The long-polling loop both platform channels use: wait for backlog room, fetch, hand the
 * updates over; back off (with a cap) after failures; stop promptly when aborted.
 */
import { backoffDelay, sleep } from "./backoff.js";

/** Options for `pollUntilAborted`. */
export interface PollLoopOptions {
  signal: AbortSignal;
  /** Resolves when the backlog has room (or the signal aborts). */
  waitForRoom: (signal: AbortSignal) => Promise<void>;
  /** One long poll; resolves with how many updates it handed over. Throws on failure. */
  poll: (signal: AbortSignal) => Promise<number>;
  /** Pause after an empty poll (0 when the platform itself holds the request). */
  idleDelayMs: number;
  backoff: { baseMs: number; capMs: number };
  /** Reports a failed poll before the loop waits `waitMs`. */
  onFailure: (error: unknown, failures: number, waitMs: number) => void;
}

/** Polls until `signal` aborts; never throws. */
export async function pollUntilAborted(options: PollLoopOptions): Promise<void> {
  const { signal } = options;
  let failures = 0;
  while (!signal.aborted) {
    await options.waitForRoom(signal);
    if (signal.aborted) break;
    try {
      const count = await options.poll(signal);
      failures = 0;
      if (count === 0 && options.idleDelayMs > 0) await sleep(options.idleDelayMs, signal);
    } catch (error) {
      if (signal.aborted) break;
      failures++;
      const wait = backoffDelay(failures, options.backoff);
      options.onFailure(error, failures, wait);
      await sleep(wait, signal);
    }
  }
}
