import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { collectionOf } from "./models/collection.js";
import type { ReminderStatus } from "../domain/broadcast.js";

/** What one reminder claim is about. */
export interface ReminderKey {
  registrationId: string;
  offsetMinutes: number;
  courseStartsAt: Date;
}

/** The claim `_id`: a course moved to a new time gets new keys, so its reminders go out again. */
export function reminderId(k: ReminderKey): string {
  return `${k.registrationId}/${k.offsetMinutes}/${k.courseStartsAt.getTime()}`;
}

/** Once-only reminder claims (insert under the unique `_id`) and their outcomes. */
export function createRemindersRepo(db: Database) {
  const reminders = db.models.reminder;
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  const reminderRows = () => collectionOf(reminders);
  return {
    /** True when this call claimed the reminder; false when it was claimed before (by anyone). */
    async claim(k: ReminderKey, at: Date): Promise<boolean> {
      try {
        await reminderRows().insertOne({ _id: reminderId(k), ...k, status: "claimed", claimedAt: at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    /** Records the platform's answer (low volume: an update is fine here). */
    async finish(k: ReminderKey, status: Exclude<ReminderStatus, "claimed">, at: Date, code?: string): Promise<void> {
      await reminders.updateOne({ _id: reminderId(k) }, { $set: { status, doneAt: at, ...(code ? { code } : {}) } });
    },
    /** Claims of one registration (tests, support). */
    async forRegistration(registrationId: string) {
      return reminders.find({ registrationId }).lean();
    },
  };
}

/** The reminders repository. */
export type RemindersRepo = ReturnType<typeof createRemindersRepo>;
