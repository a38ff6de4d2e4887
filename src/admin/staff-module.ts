import { fileURLToPath } from "node:url";
import type { Database } from "../db/database.js";
import { createRegistrationService } from "../actions/registration-service.js";
import { createBroadcastsRepo } from "../db/broadcasts-repo.js";
import { createClaimsRepo } from "../db/claims-repo.js";
import { createCoursesRepo } from "../db/courses-repo.js";
import { createDeliveriesRepo } from "../db/deliveries-repo.js";
import { createRegistrationsRepo } from "../db/registrations-repo.js";
import { createReminderSource } from "../db/reminder-source.js";
import { createRemindersRepo } from "../db/reminders-repo.js";
import { createStaffCoursesRepo } from "../db/staff-courses-repo.js";
import { createStaffRepo } from "../db/staff-repo.js";
import { createSubscriptionRepo } from "../db/subscription-repo.js";
import type { ActionRegistry } from "../engine/actions.js";
import type { ChannelName, Locale, Msg, Notifier, Sender, UserRef } from "../engine/messages.js";
import { createRenderer } from "../i18n/renderer.js";
import type { Logger } from "../shared/logger.js";
import { createBroadcastService, type BroadcastService } from "../jobs/broadcasts.js";
import { systemClock, type Clock } from "../shared/clock.js";
import { createCourseNotices } from "../jobs/course-notices.js";
import { createJobQueue, type JobQueue } from "../jobs/job-queue.js";
import { RateLimiter } from "../jobs/rate-limiter.js";
import { createReminderService, type ReminderService } from "../jobs/reminders.js";
import { createBroadcastActions } from "./actions/broadcast-actions.js";
import { createCourseActions } from "./actions/course-actions.js";
import { createCourseLinkActions } from "./actions/course-link-actions.js";
import { createCourseLinks, type CourseLinks } from "./course-links.js";
import { createCourseCodesRepo } from "../db/course-codes-repo.js";
import { createStaffActions } from "./actions/staff-actions.js";
import { createCourseAdmin, type CourseAdmin } from "./course-admin.js";
import { createStaffAccess, type StaffAccess } from "./staff-access.js";

/** What the staff side needs from the composition root. */
export interface StaffModuleDeps {
  db: Database;
  /** `STAFF_IDS`. */
  staffIds: readonly string[];
  /** The channels' senders; may be filled after this is built (read at send time). */
  senders: ReadonlyMap<ChannelName, Sender>;
  notifier: Notifier;
  logger?: Logger;
  /** `TZ_NAME`, for dates staff type. */
  timeZone: string;
  /** The bot's Telegram username, for sign-up deep links (`TELEGRAM_BOT_USERNAME`, or what Telegram said at start). */
  telegramUsername?: () => string | undefined;
  /** Renders texts staff get outside a chat reply (export headers and labels); default: the repository's `locales/`. */
  render?: (msg: Msg, locale: Locale) => string;
  /** `REMINDER_OFFSETS_HOURS`, e.g. [24, 2]. */
  reminderOffsetsHours: readonly number[];
  /** Messages per second per channel: `TELEGRAM_RATE_PER_SEC`, `ZALO_RATE_PER_SEC`. */
  ratePerSec: { telegram: number; zalo: number; terminal?: number };
  /** The bot's send budgets per channel, shared with conversation replies (built from `ratePerSec` when absent). */
  limiters?: ReadonlyMap<ChannelName, RateLimiter>;
  clock?: Clock;
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
export function createSendBudgets(ratePerSec: StaffModuleDeps["ratePerSec"], clock: Clock = systemClock): Map<ChannelName, RateLimiter> {
  return new Map<ChannelName, RateLimiter>([
    ["telegram", new RateLimiter({ perWindow: ratePerSec.telegram, perChatIntervalMs: 1_000 }, clock)],
    ["zalo", new RateLimiter({ perWindow: ratePerSec.zalo, perChatIntervalMs: 1_000 }, clock)],
    ["terminal", new RateLimiter({ perWindow: ratePerSec.terminal ?? 1_000 }, clock)],
  ]);
}

/** Builds staff access, course administration, reminders and broadcasts on one agenda queue. */
export function createStaffModule(deps: StaffModuleDeps): StaffModule {
  const clock = deps.clock ?? systemClock;
  const render = deps.render ?? defaultRender(deps.timeZone);
  const queue = createJobQueue(deps.db, { processEveryMs: deps.processEveryMs ?? 5_000, ...(deps.logger ? { logger: deps.logger } : {}) });
  const source = createReminderSource(deps.db);
  const staffCourses = createStaffCoursesRepo(deps.db);
  const access = createStaffAccess({ configured: deps.staffIds, repo: createStaffRepo(deps.db), now: () => clock.now() });
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
    repo: createRemindersRepo(deps.db),
    notifier,
    clock,
    offsetsMinutes: deps.reminderOffsetsHours.map((h) => h * 60),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  // Promotions after staff add seats: told through the same notifier, reminders scheduled by the hooks.
  const promotions = createRegistrationService({ db: deps.db, notifier, hooks: reminders.hooks, ...(deps.logger ? { log: deps.logger } : {}) });
  const notices = createCourseNotices({
    queue, source, claims: createClaimsRepo(deps.db), notifier, reminders, clock, ...(deps.logger ? { logger: deps.logger } : {}),
    promoteWaiting: (courseId) => promotions.promoteWaiting(courseId, new Date(clock.now())),
  });
  const broadcasts = createBroadcastService({
    broadcasts: createBroadcastsRepo(deps.db),
    deliveries: createDeliveriesRepo(deps.db),
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
  const courses = createCourseAdmin({ courses: createCoursesRepo(deps.db), staffCourses, registrations: createRegistrationsRepo(deps.db), notices, timeZone: deps.timeZone, render });
  const coursesRepo = createCoursesRepo(deps.db);
  const courseTitles = async (ids: readonly string[], locale: Locale) => {
    const found = await coursesRepo.findMany([...new Set(ids)]);
    return new Map([...found].map(([id, c]) => [id, locale === "en" ? (c.title.en ?? c.title.vi) : c.title.vi]));
  };
  const links = createCourseLinks({ codes: createCourseCodesRepo(deps.db), courses: coursesRepo, telegramUsername: deps.telegramUsername ?? (() => undefined) });
  let stopSweep: (() => void) | undefined;
  reminders.register();
  notices.register();
  broadcasts.register();
  const actions: ActionRegistry = {
    ...createStaffActions({ access, subscriptions: createSubscriptionRepo(deps.db) }),
    // Side effects are authorised against the current staff list (a read), never the cache.
    ...createBroadcastActions({ broadcasts, timeZone: deps.timeZone, courseTitles, footer: { key: "staff:broadcast.stop_line" }, authorise: (user) => access.isStaffNow(user) }),
    ...createCourseActions({ courses, authorise: (user) => access.isStaffNow(user) }),
    ...createCourseLinkActions({ links }),
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
