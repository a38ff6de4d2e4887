/**
 * Housekeeping that MongoDB would do with TTL indexes and transactions, which FerretDB lacks:
 * repair registrations a crash left half-done (their people are told), delete what each
 * collection's retention rule lets go (src/db/retention.ts), and fold old session revisions
 * into the contacts' snapshots.
 * Safe to run in several processes at once (every step is claim-based or idempotent).
 */
import type { Logger } from "../shared/logger.js";
import { errorFields } from "../shared/error-fields.js";

/** What one maintenance pass touches. */
export interface MaintenanceDeps {
  repairRegistrations(olderThan: Date, now: Date): Promise<{ repaired: number; promoted: string[] }>;
  /** Enforces the retention rules; documents deleted per collection. */
  pruneExpired(now: Date): Promise<Record<string, number>>;
  /** Folds old session revisions into the contacts' snapshots and deletes them. */
  pruneSessions(now: Date): Promise<{ folded: number; deleted: number }>;
  /** Personal-data retention (`personal-data-retention.ts`); counts only. */
  enforceRetention?(now: Date): Promise<Record<string, number>>;
  now(): Date;
  logger: Logger;
  /** How often a pass runs (default 10 minutes). */
  everyMs?: number;
}

const MINUTE = 60_000;

/** Runs one pass now and then every `everyMs` until `stop()`, which waits for a pass in flight. Failures are logged, never thrown. */
export function startMaintenance(deps: MaintenanceDeps): { runOnce(): Promise<void>; stop(): Promise<void> } {
  const runOnce = async () => {
    const now = deps.now();
    try {
      const repaired = await deps.repairRegistrations(new Date(now.getTime() - 10 * MINUTE), now);
      const pruned = await deps.pruneExpired(now);
      const sessions = await deps.pruneSessions(now);
      const retention = (await deps.enforceRetention?.(now)) ?? {};
      if (Object.values(retention).some((n) => n > 0)) deps.logger.info({ ...retention }, "personal-data retention pass");
      const deleted = Object.values(pruned).reduce((a, b) => a + b, 0);
      if (repaired.repaired > 0 || deleted > 0 || sessions.deleted > 0) {
        deps.logger.info({ repaired: repaired.repaired, promoted: repaired.promoted.length, pruned, sessionRevisions: sessions.deleted, sessionsFolded: sessions.folded }, "maintenance pass");
      }
    } catch (error) {
      deps.logger.warn(errorFields(error), "maintenance pass failed; will retry");
    }
  };
  // Passes never overlap: each waits for the previous one.
  let running = runOnce();
  const timer = setInterval(() => {
    running = running.then(runOnce);
  }, deps.everyMs ?? 10 * MINUTE);
  timer.unref();
  return {
    runOnce: () => (running = running.then(runOnce)),
    stop: () => {
      clearInterval(timer);
      return running;
    },
  };
}
