/**
 * The one place the services are built: repositories, clock, logger, send budgets, the staff side,
 * the registration and ticket services, sessions and privacy requests, once each. The bot
 * (`src/app.ts`) and the admin CLI (`src/admin/cli.ts`) both start from here.
 */
import type { Config } from "../config.js";
import { channelDefinitions, deepLinkFor, ratesPerSecond } from "../channels/registry.js";
import type { ChannelDefinition } from "../channels/shared/definition.js";
import type { Database } from "../db/database.js";
import { createRegistrationService, type RegistrationService } from "../actions/registration-service.js";
import { createTicketService, type TicketService } from "../actions/tickets-service.js";
import { createPrivacyRequests, type PrivacyRequests } from "../admin/privacy-requests.js";
import { createSendBudgets, createStaffModule, type StaffModule } from "../admin/staff-module.js";
import { createMongoSessionStore } from "../db/session-store.js";
import type { RetentionPolicy } from "../domain/retention.js";
import type { ChannelName, Locale, Msg, Notifier, Sender } from "../engine/messages.js";
import { createNoticeJob } from "../jobs/notice-job.js";
import { createPersonalDataRetention } from "../jobs/personal-data-retention.js";
import type { JobQueue } from "../jobs/job-queue.js";
import type { RateLimiter } from "../jobs/rate-limiter.js";
import { dateOf, type Clock } from "../shared/clock.js";
import { parseUserKey } from "../shared/user-key.js";
import type { Logger } from "../shared/logger.js";
import { createRepositories, type Repositories } from "./repositories.js";

/** What the services are built from. */
export interface ServicesOptions {
  config: Config;
  db: Database;
  /** The repositories when the caller needed them first (the app's notifier reads contacts); default: built here. */
  repos?: Repositories;
  logger: Logger;
  /** The app's clock: sessions, tickets, staff access, reminders, broadcasts, notices and privacy audits read it. */
  clock: Clock;
  /** Renders texts outside a chat reply (export headers, broadcast footers, data labels). */
  render: (msg: Msg, locale: Locale) => string;
  /** The channels' senders; may be filled after this is built (read at send time). */
  senders: ReadonlyMap<ChannelName, Sender>;
  /** How this process reaches people; absent (the admin CLI has no channel): notices are queued for the running bot. */
  notifier?: Notifier;
  /** The channels (default: the registry). */
  definitions?: readonly ChannelDefinition[];
  /** A channel's deep link carrying a course code, for sign-up links (default: from the configuration alone). */
  deepLink?: (payload: string) => string | undefined;
  /** Where the staff console is reached (read when `/web` is asked; default: `PUBLIC_URL`). */
  consoleUrl?: () => string | undefined;
  /** The job queue (default: an agenda queue on `db`); tests hand in a recorder. */
  queue?: JobQueue;
}

/** The built services, shared by everything that runs in this process. */
export interface Services {
  readonly repos: Repositories;
  readonly clock: Clock;
  /** The clock's time as a Date. */
  readonly now: () => Date;
  readonly logger: Logger;
  /** What the services notify people through (the channels, or the notice queue in the CLI). */
  readonly notifier: Notifier;
  /** One send budget per bot account: replies, broadcasts, reminders and notices share it. */
  readonly budgets: ReadonlyMap<ChannelName, RateLimiter>;
  /** Messages per second per channel, from the configuration. */
  readonly ratePerSec: Readonly<Record<string, number>>;
  readonly retention: RetentionPolicy;
  readonly staff: StaffModule;
  readonly registration: RegistrationService;
  readonly tickets: TicketService;
  readonly sessions: ReturnType<typeof createMongoSessionStore>;
  readonly privacy: PrivacyRequests;
  /** Notices queued by another process (the CLI), sent from one that has channels (`register`). */
  readonly noticeJob: ReturnType<typeof createNoticeJob>;
  readonly enforceRetention: ReturnType<typeof createPersonalDataRetention>;
}

/** Builds every service once. Starts nothing: the app starts agenda, sweeps and channels. */
export function createServices(options: ServicesOptions): Services {
  const { config, db, logger, clock } = options;
  const now = dateOf(clock);
  const repos = options.repos ?? createRepositories(db);
  const definitions = options.definitions ?? channelDefinitions;
  const ratePerSec = ratesPerSecond(config, definitions);
  // Pacing is against the platforms' real-time windows, so the budgets keep the machine's clock.
  const budgets = createSendBudgets(ratePerSec, undefined, definitions);
  const retention = { courseMonths: config.RETENTION_COURSE_MONTHS, enterpriseMonths: config.RETENTION_ENTERPRISE_MONTHS, requestDays: config.RETENTION_REQUEST_DAYS };

  const staff = createStaffModule({
    db,
    repos,
    staffIds: config.STAFF_IDS,
    senders: options.senders,
    // The CLI has no channel: it only writes; the running bot sends.
    notifier: options.notifier ?? { notify: async () => ({ ok: false, kind: "unreachable", code: "cli_has_no_channel" }) },
    logger,
    timeZone: config.TZ_NAME,
    render: options.render,
    reminderOffsetsHours: config.REMINDER_OFFSETS_HOURS,
    ratePerSec,
    limiters: budgets,
    clock,
    deepLink: options.deepLink ?? ((payload) => deepLinkFor(config, payload, undefined, definitions)),
    consoleUrl: options.consoleUrl ?? (() => config.PUBLIC_URL),
    // Called at job time: the staff side promotes through the one registration service (below), which schedules reminders through the staff side.
    promoteWaiting: (courseId, at) => registration.promoteWaiting(courseId, at),
    ...(options.queue ? { queue: options.queue } : {}),
  });
  const noticeJob = createNoticeJob({ queue: staff.queue, ...(options.notifier ? { notifier: options.notifier } : {}), claims: repos.claims, logger, clock });
  const notifier = options.notifier ?? noticeJob.queued;
  const registration = createRegistrationService({ db, repos, notifier, log: logger, hooks: staff.reminderHooks });

  // Questions handed over to a person: the duty list if configured, else every staff member.
  const tickets = createTicketService({
    repo: repos.tickets,
    notifier,
    recipients: async () => {
      if (config.HANDOFF_STAFF_IDS.length > 0) return [...config.HANDOFF_STAFF_IDS];
      const { configured, stored } = await staff.access.list();
      return [...new Set([...configured, ...stored])];
    },
    clock,
  });
  const sessions = createMongoSessionStore(db, { clock: now, logger });
  const privacy = createPrivacyRequests({
    db,
    sessions,
    label: options.render,
    notifier,
    registration,
    logger,
    clock,
    forgetChannelData: async (key) => {
      const channel = parseUserKey(key)?.channel;
      await definitions.find((d) => d.name === channel)?.forgetStored?.(db, key);
    },
  });
  const enforceRetention = createPersonalDataRetention({ db, retention, notifier });
  return { repos, clock, now, logger, notifier, budgets, ratePerSec, retention, staff, registration, tickets, sessions, privacy, noticeJob, enforceRetention };
}
