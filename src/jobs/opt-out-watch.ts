/**
 * A running broadcast's view of who stopped receiving announcements since it resolved its
 * audience (a withdrawal, an unsubscribe, an erasure, on any process): the stops are read again
 * whenever the last read is `freshMs` old, by one query for all recipients, instead of one read
 * of each recipient's contact right before its send. So a stop is honoured by every send that
 * starts more than `freshMs` after it (plus the time of one read).
 */
import type { Clock } from "../shared/clock.js";

/** How old a broadcast's view of the stops may be when a send starts. */
export const OPT_OUT_FRESH_MS = 250;

/** Reads the contacts that stopped at or after `since`. */
export type ReadOptOuts = (since: Date) => Promise<readonly string[]>;

/** The check a broadcast run asks before each send. */
export interface OptOutWatch {
  /** False when `contact` stopped since the audience was resolved; rejects when the stops cannot be read. */
  mayReceive(contact: string): Promise<boolean>;
}

/** Watches the stops since `since` (take it before the audience is resolved, less clock skew between machines). */
export function createOptOutWatch(read: ReadOptOuts, clock: Clock, since: Date, freshMs = OPT_OUT_FRESH_MS): OptOutWatch {
  let stopped = new Set<string>();
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    const started = clock.now();
    stopped = new Set(await read(since));
    readAt = started;
  }

  return {
    async mayReceive(contact) {
      if (clock.now() - readAt >= freshMs) {
        // One read for every send waiting on it.
        reading ??= refresh().finally(() => (reading = undefined));
        await reading;
      }
      return !stopped.has(contact);
    },
  };
}
