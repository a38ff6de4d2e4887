/** What every admin CLI command module gets: the context opener, output and the chat's texts. */
import type { Command } from "commander";
import type { TicketService } from "../../actions/tickets-service.js";
import type { Database } from "../../db/database.js";
import type { I18nKey, Locale, Msg } from "../../engine/messages.js";
import type { BroadcastService } from "../../jobs/broadcasts.js";
import type { JobQueue } from "../../jobs/job-queue.js";
import type { CourseAdmin } from "../course-admin.js";
import type { CourseLinks } from "../course-links.js";
import type { PrivacyRequests } from "../privacy-requests.js";
import type { StaffAccess } from "../staff-access.js";

/** What the commands act on; opened only once the arguments are valid. */
export interface CliContext {
  courses: CourseAdmin;
  links: CourseLinks;
  broadcasts: BroadcastService;
  access: StaffAccess;
  /** Requests by phone or letter: show, export, erase an account, decide representation requests (audited). */
  privacy: PrivacyRequests;
  /** Questions handed over to staff; answers are queued for the running bot to send. */
  tickets: TicketService;
  db: Database;
  /** Where notices go: the CLI has no channel, the running bot sends them. */
  queue: JobQueue;
  timeZone: string;
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: Buffer): Promise<void>;
}

/** A context that must be closed after the command. */
export type OpenContext = () => Promise<CliContext & { close(): Promise<void> }>;

/** Where the CLI writes. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** The services a command module's actions use. */
export interface CliRuntime {
  io: CliIo;
  /** The language chosen with `--lang` (default `DEFAULT_LOCALE`, else vi). */
  locale(): Locale;
  /** The same texts as the chat, in the CLI's language. */
  t(msg: Msg | I18nKey): string;
  /** Opens the database, runs `fn`, closes; the returned number is the exit code. */
  withContext(fn: (ctx: CliContext) => Promise<number>): Promise<void>;
}

/**
 * A group of commands (`course …`, `staff …`). A new area (privacy requests, tickets) is a new
 * module added to `CLI_MODULES` in `program.ts`: a few lines.
 */
export type CliModule = (program: Command, rt: CliRuntime) => void;
