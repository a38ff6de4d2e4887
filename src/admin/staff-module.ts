import type { Database } from "../db/database.js";
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
import type { ChannelName, Notifier, Sender, UserRef } from "../engine/messages.js";
import type { Logger } from "../log.js";
import { createBroadcastService, type BroadcastService } from "../jobs/broadcasts.js";
import { systemClock, type Clock } from "../jobs/clock.js";
import { createCourseNotices } from "../jobs/course-notices.js";
import { createJobQueue, type JobQueue } from "../jobs/job-queue.js";
import { RateLimiter } from "../jobs/rate-limiter.js";
import { createReminderService, type ReminderService } from "../jobs/reminders.js";
import { createBroadcastActions } from "./actions/broadcast-actions.js";
import { createCourseActions } from "./actions/course-actions.js";
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
  queue: JobQueue;
  /** Starts agenda (reminders, scheduled and resumed broadcasts, course notices). */
  start(): Promise<void>;
  /** Stops broadcasts gracefully (resumable), then agenda; jobs in flight are unlocked for another process. */
  stop(): Promise<void>;
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
  const notices = createCourseNotices({ queue, source, claims: createClaimsRepo(deps.db), notifier, reminders, clock, ...(deps.logger ? { logger: deps.logger } : {}) });
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
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const courses = createCourseAdmin({ courses: createCoursesRepo(deps.db), staffCourses, registrations: createRegistrationsRepo(deps.db), notices, timeZone: deps.timeZone });
  let stopSweep: (() => void) | undefined;
  reminders.register();
  notices.register();
  broadcasts.register();
  const actions: ActionRegistry = {
    ...createStaffActions({ access, subscriptions: createSubscriptionRepo(deps.db) }),
    // Side effects are authorised against the current staff list (a read), never the cache.
    ...createBroadcastActions({ broadcasts, timeZone: deps.timeZone, authorise: (user) => access.isStaffNow(user) }),
    ...createCourseActions({ courses, authorise: (user) => access.isStaffNow(user) }),
  };
  return {
    isStaff: (user) => access.isStaff(user),
    actions,
    reminderHooks: reminders.hooks,
    access,
    broadcasts,
    reminders,
    courses,
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
