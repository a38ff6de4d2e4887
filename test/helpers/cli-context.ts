/** A CLI context over a test database: privacy and tickets built as src/admin/cli.ts builds them (notices queued). */
import { resolve } from "node:path";
import { createTicketService } from "../../src/actions/tickets-service.js";
import { createPrivacyRequests } from "../../src/admin/privacy-requests.js";
import type { CliContext, OpenContext } from "../../src/admin/cli/types.js";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { createTicketsRepo } from "../../src/db/tickets-repo.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";
import { createNoticeJob } from "../../src/jobs/notice-job.js";
import type { Logger } from "../../src/shared/logger.js";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });

/** A queue that records what is scheduled (the running bot would send it). */
export function queueRecorder(): JobQueue & { jobs: Array<{ name: string; data: unknown }> } {
  const jobs: Array<{ name: string; data: unknown }> = [];
  return { jobs, define: () => undefined, schedule: async (name, _at, data) => void jobs.push({ name, data }), cancel: async () => 0, pending: async () => [], every: async () => undefined, start: async () => undefined, stop: async () => undefined };
}

/** Opens a context on `db`; `rest` gives the course/staff services a test needs (the others are absent). */
export function openCliContext(db: Database, queue: JobQueue, opts: { logger?: Logger; rest?: Partial<CliContext> } = {}): OpenContext & { files: Map<string, string> } {
  const files = new Map<string, string>();
  const notices = createNoticeJob({ queue }).queued;
  const sessions = createMongoSessionStore(db);
  const open = async () =>
    ({
      timeZone: "Asia/Ho_Chi_Minh",
      readFile: async () => "",
      writeFile: async (p: string, c: Buffer) => void files.set(p, c.toString("utf8")),
      ...opts.rest,
      db,
      queue,
      privacy: createPrivacyRequests({ db, sessions, label: (m, l) => renderer.render(m, l), notifier: notices, logger: opts.logger }),
      tickets: createTicketService({ repo: createTicketsRepo(db), notifier: notices, recipients: async () => [], now: () => new Date() }),
      close: async () => undefined,
    }) as CliContext & { close(): Promise<void> };
  return Object.assign(open, { files });
}
