/**
 * A CLI context over a test database, built as src/admin/cli.ts builds it: the composition root's
 * services (`createServices`) with no channel, so notices are queued for the running bot.
 */
import { resolve } from "node:path";
import { cliContextFrom } from "../../src/admin/cli/context.js";
import type { OpenContext } from "../../src/admin/cli/types.js";
import { createServices, type Services } from "../../src/composition/services.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";
import { systemClock } from "../../src/shared/clock.js";
import { silentLogger, type Logger } from "../../src/shared/logger.js";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });

/** A queue that records what is scheduled (the running bot would send it). */
export function queueRecorder(): JobQueue & { jobs: Array<{ name: string; data: unknown }> } {
  const jobs: Array<{ name: string; data: unknown }> = [];
  return { jobs, define: () => undefined, schedule: async (name, _at, data) => void jobs.push({ name, data }), cancel: async () => 0, pending: async () => [], every: async () => undefined, start: async () => undefined, stop: async () => undefined };
}

/** Options for `openCliContext`. */
export interface CliContextOptions {
  logger?: Logger;
  /** Settings as in the environment (e.g. STAFF_IDS); the terminal chat is off. */
  env?: Record<string, string>;
  /** Files the commands read (default: empty); what they write goes to `files`. */
  readFile?: (path: string) => Promise<string>;
  writeFile?: (path: string, content: Buffer) => Promise<void>;
}

/**
 * Opens a context on `db`, its services built once (the queue given, else an agenda queue on
 * `db`). Closing a command's context closes nothing: the test stops `services` and the database.
 */
export function openCliContext(db: Database, queue?: JobQueue, opts: CliContextOptions = {}): OpenContext & { files: Map<string, string>; services: Services } {
  const parsed = parseConfig({ TERMINAL: "off", LOG_LEVEL: "silent", ...opts.env });
  if (!parsed.ok) throw new Error(`test settings refused: ${parsed.problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
  const config = parsed.config;
  const services = createServices({ config, db, logger: opts.logger ?? silentLogger, clock: systemClock, render: (m, l) => renderer.render(m, l), senders: new Map(), ...(queue ? { queue } : {}) });
  const files = new Map<string, string>();
  const open = async () =>
    cliContextFrom(services, {
      db,
      timeZone: config.TZ_NAME,
      readFile: opts.readFile ?? (async () => ""),
      writeFile: opts.writeFile ?? (async (p, c) => void files.set(p, c.toString("utf8"))),
      close: async () => undefined,
    });
  return Object.assign(open, { files, services });
}
