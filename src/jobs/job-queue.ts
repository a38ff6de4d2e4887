import { Agenda } from "agenda";
import { MongoBackend } from "@agendajs/mongo-backend";
import type { Database } from "../db/database.js";
import type { Logger } from "../shared/logger.js";

/** A handler for one kind of scheduled job; `touch` keeps a long job's lock alive. */
export type JobHandler<T> = (data: T, touch: () => Promise<void>) => Promise<void>;

/** Options for the job queue. */
export interface JobQueueOptions {
  /** How often due jobs are looked for (ms); short in tests. */
  processEveryMs?: number;
  /** A job locked longer than this is presumed dead and may run again (ms). */
  lockLifetimeMs?: number;
  /** Names the process in the jobs collection (`lastModifiedBy`). */
  name?: string;
  logger?: Logger;
}

/**
 * The only user of agenda: jobs live in the project's database (collection `agendaJobs`).
 * agenda's locking is not atomic on FerretDB, so a job may run twice: every handler makes its
 * own side effect once-only with a unique-index claim.
 */
export interface JobQueue {
  define<T>(name: string, handler: JobHandler<T>, options?: { concurrency?: number }): void;
  /**
   * Runs `name` with `data` at `at` (now or in the past: as soon as possible). With `uniqueBy`
   * (data keys), a job with the same values is not added twice (e.g. one reminder per
   * registration, offset and start, however often it is scheduled).
   */
  schedule<T extends object>(name: string, at: Date, data: T, options?: { uniqueBy?: ReadonlyArray<keyof T & string> }): Promise<void>;
  /** Removes pending jobs of `name` whose data contains `match` (e.g. `{ registrationId }`). */
  cancel(name: string, match: Record<string, unknown>): Promise<number>;
  /** Pending jobs of `name` (data and time), e.g. to list scheduled reminders. */
  pending<T>(name: string, match?: Record<string, unknown>): Promise<Array<{ at: Date | null; data: T }>>;
  /** Runs `name` every `intervalMs`. */
  every(name: string, intervalMs: number): Promise<void>;
  start(): Promise<void>;
  /**
   * Stops taking jobs and unlocks running ones so another process can pick them up. Also waits
   * for agenda's own start-up (index creation) so the database can be closed right after.
   */
  stop(): Promise<void>;
}

/** Creates the queue on an open database (the same connection as everything else). */
export function createJobQueue(db: Database, options: JobQueueOptions = {}): JobQueue {
  const mongo = db.connection.db;
  if (!mongo) throw new Error("database not connected");
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo, collection: "agendaJobs", ...(options.name ? { name: options.name } : {}) }),
    processEvery: options.processEveryMs ?? 5_000,
    defaultLockLifetime: options.lockLifetimeMs ?? 10 * 60_000,
    maxConcurrency: 20,
    defaultConcurrency: 5,
    ...(options.name ? { name: options.name } : {}),
  });
  agenda.on("error", (error: Error) => options.logger?.error({ err: error.name }, "job queue error"));
  agenda.on("fail", (error: Error | string, job: { attrs: { name: string } }) =>
    options.logger?.error({ job: job.attrs.name, err: typeof error === "string" ? error : error.name }, "job failed"),
  );
  let started = false;
  return {
    define<T>(name: string, handler: JobHandler<T>, opts: { concurrency?: number } = {}) {
      agenda.define<T>(
        name,
        async (job) => {
          await handler(job.attrs.data, () => job.touch());
        },
        { concurrency: opts.concurrency ?? 5 },
      );
    },
    async schedule(name, at, data, opts = {}) {
      if (!opts.uniqueBy || opts.uniqueBy.length === 0) {
        await agenda.schedule(at, name, data);
        return;
      }
      const unique = Object.fromEntries(opts.uniqueBy.map((k) => [`data.${k}`, data[k]]));
      const job = agenda.create(name, data);
      job.schedule(at);
      job.unique(unique, { insertOnly: true });
      await job.save();
    },
    async cancel(name, match) {
      return agenda.cancel({ name, data: match });
    },
    async pending<T>(name: string, match: Record<string, unknown> = {}) {
      const result = await agenda.queryJobs({ name, data: match });
      return result.jobs
        .filter((j) => j.nextRunAt !== null && j.nextRunAt !== undefined)
        // agenda's queryJobs is untyped (`unknown` data); jobs of `name` hold what `schedule` was given for it.
        .map((j) => ({ at: j.nextRunAt ? new Date(j.nextRunAt) : null, data: j.data as T }));
    },
    async every(name, intervalMs) {
      await agenda.every(intervalMs, name, undefined, { skipImmediate: false });
    },
    async start() {
      if (started) return;
      started = true;
      await agenda.start();
    },
    async stop() {
      await agenda.ready.catch(() => undefined);
      if (!started) return;
      started = false;
      await agenda.stop();
    },
  };
}
