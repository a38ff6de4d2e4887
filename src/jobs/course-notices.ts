import { randomUUID } from "node:crypto";
import type { ClaimsRepo } from "../db/claims-repo.js";
import type { ReminderSource } from "../db/reminder-source.js";
import type { Notifier } from "../engine/messages.js";
import type { Logger } from "../shared/logger.js";
import type { Clock } from "../shared/clock.js";
import type { JobQueue } from "./job-queue.js";
import { userRefOfKey } from "../shared/user-key.js";
import { courseParams, type ReminderService } from "./reminders.js";

/** The agenda job that tells a course's registrants about a change. */
export const COURSE_CHANGED_JOB = "course:changed";

/** What changed about a course: a new time, a cancellation, or more seats (the waiting are promoted). */
export type CourseChange = "moved" | "cancelled" | "capacity";

/** What one course-change job carries. */
export interface CourseChangedData {
  courseId: string;
  change: CourseChange;
  /** Unique per change, so each registrant hears of it once even if the job runs twice. */
  changeId: string;
}

/** What course notices need. */
export interface CourseNoticesDeps {
  queue: JobQueue;
  source: ReminderSource;
  claims: ClaimsRepo;
  notifier: Notifier;
  reminders: ReminderService;
  clock: Clock;
  logger?: Logger;
  /** Gives free seats to waiting people and tells each (reminders follow the seat); the promoted ids. */
  promoteWaiting?: (courseId: string) => Promise<string[]>;
}

/**
 * Tells registrants (in their language) that their course moved or was cancelled, and moves or
 * removes their reminders. Runs as a job, so the CLI (which has no channel) can ask the bot to do it.
 */
export function createCourseNotices(deps: CourseNoticesDeps) {
  async function handle(data: CourseChangedData): Promise<{ notified: number }> {
    // Promotions are claims: a job run twice promotes nobody twice, and each promoted person is told by the run that promoted them.
    if (data.change === "capacity") return { notified: (await deps.promoteWaiting?.(data.courseId))?.length ?? 0 };
    if (data.change === "moved") await deps.reminders.courseMoved(data.courseId);
    else await deps.reminders.courseCancelled(data.courseId);
    const course = await deps.source.course(data.courseId);
    if (!course) return { notified: 0 };
    let notified = 0;
    for (const reg of await deps.source.activeOf(data.courseId)) {
      if (!(await deps.claims.claimOnce(`notice/${data.changeId}/${reg.id}`, new Date(deps.clock.now())))) continue;
      const key = data.change === "moved" ? "staff:notices.course_rescheduled" : "staff:notices.course_cancelled";
      const result = await deps.notifier.notify(userRefOfKey(reg.contactId), [{ key, params: courseParams(course) }]);
      if (result.ok) notified++;
      else deps.logger?.warn({ registration: reg.id, kind: result.kind }, "course notice not delivered");
    }
    return { notified };
  }

  return {
    handle,
    /** Asks for the notices (and reminder changes) to be done now by whichever bot process runs jobs. */
    async announce(courseId: string, change: CourseChange): Promise<void> {
      const data: CourseChangedData = { courseId, change, changeId: randomUUID() };
      await deps.queue.schedule(COURSE_CHANGED_JOB, new Date(deps.clock.now()), data);
    },
    register(): void {
      deps.queue.define<CourseChangedData>(COURSE_CHANGED_JOB, async (data) => {
        await handle(data);
      }, { concurrency: 2 });
    },
  };
}

/** Course notices. */
export type CourseNotices = ReturnType<typeof createCourseNotices>;
