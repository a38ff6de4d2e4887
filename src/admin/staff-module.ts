import { channelSendRates } from "../channels/registry.js";
import type { ChannelDefinition } from "../channels/shared/definition.js";
import { fileURLToPath } from "node:url";
import type { Database } from "../db/database.js";
import { createRepositories, type Repositories } from "../composition/repositories.js";
import { createRegistrationService, type RegistrationService } from "../actions/registration-service.js";
import type { ActionRegistry } from "../engine/actions.js";
import type { ChannelName, Locale, Msg, Notifier, Sender, UserRef } from "../engine/messages.js";
import { createRenderer } from "../i18n/renderer.js";
import type { Logger } from "../shared/logger.js";
import { createBroadcastService, type BroadcastService } from "../jobs/broadcasts.js";
import { dateOf, systemClock, type Clock } from "../shared/clock.js";
import { createCourseNotices } from "../jobs/course-notices.js";
import { createJobQueue, type JobQueue } from "../jobs/job-queue.js";
import { RateLimiter } from "../jobs/rate-limiter.js";
import { createReminderService, type ReminderService } from "../jobs/reminders.js";
import { createBroadcastActions } from "./actions/broadcast-actions.js";
import { createCourseActions } from "./actions/course-actions.js";
import { createCourseLinkActions } from "./actions/course-link-actions.js";
import { CONSOLE_LINK_TTL_MS, createConsoleLinkActions } from "./actions/console-link-actions.js";
import { createCourseLinks, type CourseLinks } from "./course-links.js";
import { createStaffActions } from "./actions/staff-actions.js";
import { createCourseAdmin, type CourseAdmin } from "./course-admin.js";
import { createStaffLists, type StaffLists } from "./staff-lists.js";
import { createStaffSearch } from "../db/staff-search.js";
import { createStaffAccess, type StaffAccess } from "./staff-access.js";

/** What the staff side needs from the composition root. */
export interface StaffModuleDeps {
  db: Database;
  /** The repositories, built once by the composition root (default: built here, for tests). */
  repos?: Repositories;
  /** Promotes waiting people after staff add seats: the root's one registration service (default: one built here, for tests). */
  promoteWaiting?: (courseId: string, at: Date) => Promise<string[]>;
  /** `STAFF_IDS`. */
  staffIds: readonly string[];
  /** The channels' senders; may be filled after this is built (read at send time). */
  senders: ReadonlyMap<ChannelName, Sender>;
  notifier: Notifier;
  logger?: Logger;
  /** `TZ_NAME`, for dates staff type. */
  timeZone: string;
  /** A channel's deep link carrying a course code, for sign-up links (see the registry's `deepLinkFor`). */
  deepLink?: (payload: string) => string | undefined;
  /** Renders texts staff get outside a chat reply (export headers and labels); default: the repository's `locales/`. */
  render?: (msg: Msg, locale: Locale) => string;
  /** `REMINDER_OFFSETS_HOURS`, e.g. [24, 2]. */
  reminderOffsetsHours: readonly number[];
  /** Messages per second per channel name (each channel's `*_RATE_PER_SEC`); a channel missing here has its default. */
  ratePerSec: Readonly<Record<string, number>>;
  /** The bot's send budgets per channel, shared with conversation replies (built from `ratePerSec` when absent). */
  limiters?: ReadonlyMap<ChannelName, RateLimiter>;
  clock?: Clock;
  /** Where the staff console is reached, for `/web` sign-in links (read when asked); absent: the console is not offered. */
  consoleUrl?: () => string | undefined;
  /** The job queue (default: an agenda queue on `db`); tests hand in a recorder. */
  queue?: JobQueue;
  /** agenda polling (ms); default 5 s. */
  processEveryMs?: number;
  /** Claimed-but-unrecorded deliveries at once (bound on "in doubt" after a crash); default 128. */
  broadcastConcurrency?: number;
  /** How often stale broadcasts are looked for (ms); default: every broadcast heartbeat (2 s). */
  resumeEveryMs?: number;
}

/** The staff side, built: hand `isStaff`, `actions` and `reminderHooks` to the runner and registration service. */
export interface StaffModule {
  isStaff(user: UserRef): Promise<boolean>;
  actions: ActionRegistry;
  /** For the registration service's `hooks`. */
  reminderHooks: ReminderService["hooks"];
  access: StaffAccess;
  broadcasts: BroadcastService;
  reminders: ReminderService;
  courses: CourseAdmin;
  links: CourseLinks;
  /** Registrations and enterprises searched, paged and exported (the console's lists). */
  lists: StaffLists;
  queue: JobQueue;
  /** Starts agenda (reminders, scheduled and resumed broadcasts, course notices). */
  start(): Promise<void>;
  /** Stops broadcasts gracefully (resumable), then agenda; jobs in flight are unlocked for another process. */
  stop(): Promise<void>;
}

/** A renderer over the repository's `locales/` (for callers that do not pass theirs). */
function defaultRender(timeZone: string): (msg: Msg, locale: Locale) => string {
  const renderer = createRenderer({ localesDir: fileURLToPath(new URL("../../locales", import.meta.url)), timeZone });
  return (msg, locale) => renderer.render(msg, locale);
}

/** One send budget per channel (bot account): replies, broadcasts, reminders and notices share it. */
export function createSendBudgets(ratePerSec: StaffModuleDeps["ratePerSec"], clock: Clock = systemClock, definitions?: readonly ChannelDefinition[]): Map<ChannelName, RateLimiter> {
  const budgets = new Map<ChannelName, RateLimiter>();
  for (const [name, rate] of channelSendRates({}, definitions)) {
    budgets.set(name, new RateLimiter({ perWindow: ratePerSec[name] ?? rate.perSecond, perChatIntervalMs: rate.perChatIntervalMs }, clock));
  }
  return budgets;
}

/** Promotions by a registration service of the staff module's own (tests that build the module alone). */
function ownPromotions(service: RegistrationService): (courseId: string, at: Date) => Promise<string[]> {
  return (courseId, at) => service.promoteWaiting(courseId, at);
}

/** Builds staff access, course administration, reminders and broadcasts on one agenda queue. */
export function createStaffModule(deps: StaffModuleDeps): StaffModule {
  const clock = deps.clock ?? systemClock;
  const render = deps.render ?? defaultRender(deps.timeZone);
  const repos = deps.repos ?? createRepositories(deps.db);
  const queue = deps.queue ?? createJobQueue(deps.db, { processEveryMs: deps.processEveryMs ?? 5_000, ...(deps.logger ? { logger: deps.logger } : {}) });
  const source = repos.reminderSource;
  const staffCourses = repos.staffCourses;
  const access = createStaffAccess({ configured: deps.staffIds, repo: repos.staff, clock });
  const limiters = deps.limiters ?? createSendBudgets(deps.ratePerSec, clock);
  // Reminders, course notices and reports go through the same per-channel budget as broadcasts and replies.
  const notifier: Notifier = {
    async notify(user, messages) {
      const release = await limiters.get(user.channel)?.acquire(user.userId, "bulk");
      try {
        return await deps.notifier.notify(user, messages);
      } finally {
        release?.();
      }
    },
  };
  const reminders = createReminderService({
    queue,
    source,
    repo: repos.reminders,
    notifier,
    clock,
    offsetsMinutes: deps.reminderOffsetsHours.map((h) => h * 60),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  // Promotions after staff add seats: told through the same notifier, reminders scheduled by the hooks.
  const promoteWaiting = deps.promoteWaiting ?? ownPromotions(createRegistrationService({ db: deps.db, repos, notifier, hooks: reminders.hooks, ...(deps.logger ? { log: deps.logger } : {}) }));
  const notices = createCourseNotices({
    queue, source, claims: repos.claims, notifier, reminders, clock, ...(deps.logger ? { logger: deps.logger } : {}),
    promoteWaiting: (courseId) => promoteWaiting(courseId, new Date(clock.now())),
  });
  const broadcasts = createBroadcastService({
    broadcasts: repos.broadcasts,
    deliveries: repos.deliveries,
    sources: { enterpriseContacts: (sector) => staffCourses.enterpriseContacts(sector), courseContacts: (id) => staffCourses.courseContacts(id) },
    senders: deps.senders,
    limiters,
    notifier,
    queue,
    clock,
    concurrency: deps.broadcastConcurrency ?? 128,
    footer: (locale) => render({ key: "staff:broadcast.stop_line" }, locale),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const coursesRepo = repos.courses;
  const courses = createCourseAdmin({ courses: coursesRepo, staffCourses, registrations: repos.registrations, notices, timeZone: deps.timeZone, render });
  const courseTitles = async (ids: readonly string[], locale: Locale) => {
    const found = await coursesRepo.findMany([...new Set(ids)]);
    return new Map([...found].map(([id, c]) => [id, locale === "en" ? (c.title.en ?? c.title.vi) : c.title.vi]));
  };
  const lists = createStaffLists({ search: createStaffSearch(deps.db), courses: coursesRepo, staffCourses, timeZone: deps.timeZone, render });
  const links = createCourseLinks({ codes: repos.courseCodes, courses: coursesRepo, deepLink: deps.deepLink ?? (() => undefined) });
  let stopSweep: (() => void) | undefined;
  reminders.register();
  notices.register();
  broadcasts.register();
  const actions: ActionRegistry = {
    ...createStaffActions({ access, subscriptions: repos.subscriptions }),
    // Side effects are authorised against the current staff list (a read), never the cache.
    ...createBroadcastActions({ broadcasts, timeZone: deps.timeZone, courseTitles, footer: { key: "staff:broadcast.stop_line" }, authorise: (user) => access.isStaffNow(user) }),
    ...createCourseActions({ courses, authorise: (user) => access.isStaffNow(user) }),
    ...createCourseLinkActions({ links }),
    ...createConsoleLinkActions({ links: repos.console, baseUrl: deps.consoleUrl ?? (() => undefined), ttlMs: CONSOLE_LINK_TTL_MS, now: dateOf(clock), authorise: (user) => access.isStaffNow(user) }),
  };
  return {
    isStaff: (user) => access.isStaff(user),
    actions,
    reminderHooks: reminders.hooks,
    access,
    broadcasts,
    reminders,
    courses,
    links,
    lists,
    queue,
    async start() {
      await queue.start();
      // A broadcast this process (or another) was sending when it died: resumed within seconds.
      stopSweep = broadcasts.startResumeSweep(deps.resumeEveryMs);
    },
    async stop() {
      stopSweep?.();
      await broadcasts.shutdown();
      await queue.stop();
    },
  };
}
