import type { RemindersRepo } from "../db/reminders-repo.js";
import type { ReminderCourse, ReminderRegistration, ReminderSource } from "../db/reminder-source.js";
import type { Msg, Notifier } from "../engine/messages.js";
import type { Logger } from "../shared/logger.js";
import type { Clock } from "../shared/clock.js";
import { userRefOfKey } from "../shared/user-key.js";
import type { JobQueue } from "./job-queue.js";

/** The agenda job that sends one reminder. */
export const REMINDER_JOB = "reminder:send";

/** What one reminder job carries. */
export interface ReminderJobData {
  registrationId: string;
  courseId: string;
  offsetMinutes: number;
  /** The course start this reminder was planned for (ms); a moved course makes it stale. */
  startsAtMs: number;
}

/** What the reminder service needs. */
export interface ReminderServiceDeps {
  queue: JobQueue;
  source: ReminderSource;
  repo: RemindersRepo;
  notifier: Notifier;
  clock: Clock;
  /** How long before the start to remind (minutes), e.g. [1440, 120]. */
  offsetsMinutes: readonly number[];
  logger?: Logger;
  /** Tries for a transient failure before giving up (the claim stays: never twice). */
  maxAttempts?: number;
  retryDelayMs?: number;
}


/**
 * The message params every course notice uses: the title in both languages, start, place. An
 * online course (a link, no place) sets i18next's `context: "online"`, so its notice says
 * "online: <link>" (the `…_online` key) instead of "place: https://…".
 */
export function courseParams(course: ReminderCourse): Record<string, string | Date> {
  const online = !course.place && !!course.onlineUrl;
  return {
    titleVi: course.title.vi,
    titleEn: course.title.en ?? course.title.vi,
    start: course.startAt,
    end: course.endAt,
    place: course.place ?? course.onlineUrl ?? "-",
    ...(online ? { context: "online" } : {}),
  };
}

/**
 * Course reminders on agenda: one job per (registration, offset), scheduled when a seat is
 * confirmed, removed on cancellation, moved when the course moves. Sending is once-only by a
 * unique-insert claim (agenda may run a job twice on FerretDB); a reminder is never sent once
 * the course has begun, and of several overdue ones (the bot was down) only the latest goes.
 */
export function createReminderService(deps: ReminderServiceDeps) {
  const offsets = [...new Set(deps.offsetsMinutes)].sort((a, b) => b - a);

  async function scheduleFor(reg: Pick<ReminderRegistration, "id" | "courseId">, course: ReminderCourse): Promise<number> {
    const now = deps.clock.now();
    const start = course.startAt.getTime();
    let n = 0;
    for (const offsetMinutes of offsets) {
      const at = start - offsetMinutes * 60_000;
      // Registered after a reminder's time: the confirmation itself was the notice.
      if (at <= now) continue;
      const data: ReminderJobData = { registrationId: reg.id, courseId: course.id, offsetMinutes, startsAtMs: start };
      await deps.queue.schedule(REMINDER_JOB, new Date(at), data, { uniqueBy: ["registrationId", "offsetMinutes", "startsAtMs"] });
      n++;
    }
    return n;
  }

  async function cancelFor(registrationId: string): Promise<number> {
    return deps.queue.cancel(REMINDER_JOB, { registrationId });
  }

  /** Sends one reminder if it is still due (runs as the agenda job). */
  async function send(data: ReminderJobData): Promise<"sent" | "skipped" | "failed"> {
    const now = deps.clock.now();
    const reg = await deps.source.registration(data.registrationId);
    if (!reg || reg.status !== "confirmed") return "skipped";
    const course = await deps.source.course(data.courseId);
    if (!course || course.status === "cancelled") return "skipped";
    const start = course.startAt.getTime();
    // Planned for another start time (the course moved; the new jobs cover it), or too late.
    if (start !== data.startsAtMs || now >= start) return "skipped";
    // Several overdue after downtime: only the one closest to the start is sent.
    if (offsets.some((o) => o < data.offsetMinutes && start - o * 60_000 <= now)) return "skipped";
    const key = { registrationId: reg.id, offsetMinutes: data.offsetMinutes, courseStartsAt: course.startAt };
    if (!(await deps.repo.claim(key, new Date(now)))) return "skipped";
    const msg: Msg = { key: "staff:notices.reminder", params: { ...courseParams(course), hours: Math.round((data.offsetMinutes / 60) * 10) / 10 } };
    const attempts = deps.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      const result = await deps.notifier.notify(userRefOfKey(reg.contactId), [msg]);
      if (result.ok) {
        await deps.repo.finish(key, "sent", new Date(deps.clock.now()));
        return "sent";
      }
      if (result.kind === "unreachable") {
        await deps.repo.finish(key, "unreachable", new Date(deps.clock.now()), result.code);
        return "failed";
      }
      if (result.kind === "unknown") {
        // It may have arrived: never sent again, recorded in doubt.
        await deps.repo.finish(key, "in_doubt", new Date(deps.clock.now()), result.code);
        deps.logger?.warn({ registration: reg.id, offset: data.offsetMinutes, code: result.code }, "reminder outcome unknown (in doubt)");
        return "failed";
      }
      const wait = result.kind === "rate_limited" ? result.retryAfterMs : (deps.retryDelayMs ?? 2_000) * attempt;
      if (attempt >= attempts || deps.clock.now() + wait >= start) {
        await deps.repo.finish(key, "failed", new Date(deps.clock.now()), result.kind === "rate_limited" ? "rate_limited" : result.code);
        deps.logger?.warn({ registration: reg.id, offset: data.offsetMinutes }, "reminder not delivered");
        return "failed";
      }
      await deps.clock.sleep(wait);
    }
  }

  return {
    send,
    scheduleFor,
    cancelFor,
    /** Registers the job on the queue. */
    register(): void {
      deps.queue.define<ReminderJobData>(REMINDER_JOB, async (data) => {
        await send(data);
      }, { concurrency: 10 });
    },
    /** Hooks for the registration service. */
    hooks: {
      async onConfirmed(reg: ReminderRegistration): Promise<void> {
        const course = await deps.source.course(reg.courseId);
        if (course) await scheduleFor(reg, course);
      },
      async onPromoted(reg: ReminderRegistration): Promise<void> {
        const course = await deps.source.course(reg.courseId);
        if (course) await scheduleFor(reg, course);
      },
      async onCancelled(reg: ReminderRegistration): Promise<void> {
        await cancelFor(reg.id);
      },
    },
    /** After a course's time changed: every confirmed registrant's reminders move with it. */
    async courseMoved(courseId: string): Promise<number> {
      await deps.queue.cancel(REMINDER_JOB, { courseId });
      const course = await deps.source.course(courseId);
      if (!course || course.status === "cancelled") return 0;
      let n = 0;
      for (const reg of await deps.source.confirmedOf(courseId)) n += await scheduleFor(reg, course);
      return n;
    },
    /** After a course was cancelled: no reminder goes out. */
    async courseCancelled(courseId: string): Promise<number> {
      return deps.queue.cancel(REMINDER_JOB, { courseId });
    },
  };
}

/** The reminder service. */
export type ReminderService = ReturnType<typeof createReminderService>;
