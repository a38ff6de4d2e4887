/**
 * How long each collection keeps its documents (the README's retention table is this list) and
 * the deletes that enforce it, run by the maintenance job. Every delete is a range on a date
 * field declared with an index (on MongoDB an index range; FerretDB scans, measured in README).
 * Nothing still needed is touched: an inbox entry not handled, a pending registration, the seats
 * and waitlist of a course not long over, a job still scheduled.
 */
import type { Database } from "./database.js";
import { createInboxRepo } from "./inbox-repo.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Retention periods, one per rule. */
export const RETENTION = {
  /** Handled inbox entries and attempt claims: the platforms' re-delivery window (de-duplication). */
  inboxDoneMs: DAY,
  /** Once-only markers (notices sent, broadcast reports): far beyond any retry of what they guard. */
  claimsMs: 90 * DAY,
  /** Broadcast delivery records: the report and "resend to failed / in doubt" stay possible this long. */
  deliveriesMs: 90 * DAY,
  /** Reminder claims: after the course they were for began. */
  remindersAfterStartMs: 30 * DAY,
  /** Seats, waitlist positions and registration claims: after the course ended (registrations stay). */
  courseClaimsAfterEndMs: 180 * DAY,
  /** The staff audit trail (console, chat): two years. */
  staffAuditMs: 730 * DAY,
  /** Announcement stops (withdrawals, erasures) as broadcasts read them: far beyond any run. */
  optOutsMs: DAY,
  /** agenda jobs that ran once and are not scheduled again. */
  finishedJobsMs: 7 * DAY,
} as const;

/** Deletes what the rules let go as of `now`; how many documents each collection lost. */
export async function pruneExpired(db: Database, now: Date): Promise<Record<string, number>> {
  const { claim, delivery, reminder, course, seat, waitlistEntry, registrationClaim } = db.models;
  const before = (ms: number) => new Date(now.getTime() - ms);
  const inbox = await createInboxRepo(db).prune(before(RETENTION.inboxDoneMs));
  const counts: Record<string, number> = { inbox: inbox.inbox, inbox_done: inbox.done, inbox_attempts: inbox.attempts };
  counts.claims = (await claim.deleteMany({ at: { $lt: before(RETENTION.claimsMs) } })).deletedCount;
  // Webhook claims of the design before the inbox: a range on the `_id` prefix, not a $regex scan.
  counts.claims += (await claim.deleteMany({ _id: { $gte: "update:", $lt: "update;" }, at: { $lt: before(RETENTION.inboxDoneMs) } })).deletedCount;
  counts.deliveries = (await delivery.deleteMany({ claimedAt: { $lt: before(RETENTION.deliveriesMs) } })).deletedCount;
  counts.reminders = (await reminder.deleteMany({ courseStartsAt: { $lt: before(RETENTION.remindersAfterStartMs) } })).deletedCount;
  // Courses over long ago (a handful per month): their claims go by courseId, in chunks.
  const over = await course.find({ endAt: { $lt: before(RETENTION.courseClaimsAfterEndMs) } }, { _id: 1 }).lean();
  counts.seats = counts.waitlistentries = counts.registrationclaims = 0;
  for (let i = 0; i < over.length; i += 50) {
    const courseId = { $in: over.slice(i, i + 50).map((c) => c._id) };
    counts.seats += (await seat.deleteMany({ courseId })).deletedCount;
    counts.waitlistentries += (await waitlistEntry.deleteMany({ courseId })).deletedCount;
    counts.registrationclaims += (await registrationClaim.deleteMany({ courseId })).deletedCount;
  }
  // Console sign-in links and sessions: until they end (minutes, hours).
  counts.console_links = (await db.models.consoleLink.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  counts.console_sessions = (await db.models.consoleSession.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  counts.opt_outs = (await db.models.optOut.deleteMany({ at: { $lt: before(RETENTION.optOutsMs) } })).deletedCount;
  counts.staff_audit = (await db.models.staffAudit.deleteMany({ at: { $lt: before(RETENTION.staffAuditMs) } })).deletedCount;
  const jobs = db.connection.db?.collection("agendaJobs");
  counts.agendaJobs = jobs
    ? (await jobs.deleteMany({ nextRunAt: null, lastFinishedAt: { $lt: before(RETENTION.finishedJobsMs) } })).deletedCount
    : 0;
  return counts;
}
