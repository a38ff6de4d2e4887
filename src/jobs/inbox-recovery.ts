/**
 * The inbox's recovery sweep: on start and periodically, updates stored but not handled within
 * their lease (the process that took them died or hung) are handled again, each attempt by
 * exactly one process (claimed in the database), then marked done. See `src/db/inbox-repo.ts`.
 */
import type { Logger } from "../shared/logger.js";
import type { RecoveredUpdate } from "../db/inbox-repo.js";
import { errorFields } from "../shared/error-fields.js";

/** What the sweep needs. */
export interface InboxRecoveryDeps {
  /** Claims the next attempt of entries of `channels` whose lease began in [from, expiredBefore) (see `InboxRepo.claimExpired`). */
  claimExpired(channels: string[], from: Date, expiredBefore: Date, now: Date, maxAttempts: number): Promise<{ taken: RecoveredUpdate[]; gaveUp: number }>;
  done(key: string, at: Date): Promise<void>;
  /** The channels this process runs, by name; an entry is replayed through its own channel. */
  channels: ReadonlyMap<string, { replay(update: unknown): Promise<boolean> }>;
  now(): Date;
  logger: Logger;
  leaseMs: number;
  /** Pause between sweeps (default a quarter of the lease, at least 1 s). */
  everyMs?: number;
  /** Attempts after the first before an update is given up (default 3). */
  maxAttempts?: number;
}

/** Starts sweeping now and every `everyMs`; `stop()` waits for a sweep in flight. Failures are logged, never thrown. */
export function startInboxRecovery(deps: InboxRecoveryDeps): { runOnce(): Promise<void>; stop(): Promise<void> } {
  const names = [...deps.channels.keys()];
  let stopped = false;
  // The first sweep looks at the whole inbox; later ones only at leases that ran out since
  // (with one lease of overlap), so a sweep reads few entries however large the inbox is.
  let from = new Date(0);
  const sweep = async (): Promise<void> => {
    try {
      const cutoff = new Date(deps.now().getTime() - deps.leaseMs);
      // Bounded: a sweep takes at most 50 rounds of claims, the next sweep continues.
      for (let round = 0; round < 50 && !stopped; round++) {
        const now = deps.now();
        const { taken, gaveUp } = await deps.claimExpired(names, from, cutoff, now, deps.maxAttempts ?? 3);
        if (gaveUp > 0) deps.logger.error({ gaveUp }, "inbox: updates given up after repeated attempts");
        if (taken.length === 0) break;
        const results = await Promise.all(
          taken.map(async (entry) => {
            const replayed = await deps.channels.get(entry.channel)?.replay(entry.update);
            await deps.done(entry.key, deps.now());
            return replayed === true;
          }),
        );
        deps.logger.info({ replayed: results.filter(Boolean).length, invalid: results.filter((r) => !r).length }, "inbox: recovered updates handled");
        if (round === 49) return; // more left: keep `from` so the next sweep continues
      }
      if (!stopped) from = new Date(cutoff.getTime() - deps.leaseMs);
    } catch (error) {
      deps.logger.warn(errorFields(error), "inbox sweep failed; will retry");
    }
  };
  if (names.length === 0) return { runOnce: async () => undefined, stop: async () => undefined };
  let running = sweep();
  const timer = setInterval(() => {
    running = running.then(sweep);
  }, deps.everyMs ?? Math.max(1_000, deps.leaseMs / 4));
  timer.unref();
  return {
    runOnce: () => (running = running.then(sweep)),
    stop: () => {
      stopped = true;
      clearInterval(timer);
      return running;
    },
  };
}
