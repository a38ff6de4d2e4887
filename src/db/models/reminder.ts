import { Schema, type Connection } from "mongoose";
import { REMINDER_STATUSES } from "../../domain/broadcast.js";

/**
 * The claim that one reminder was (about to be) sent: `_id` is
 * `registrationId/offsetMinutes/courseStartMs`, inserted before sending, so two processes or a
 * restarted one can never send it twice. A course moved to a new time gets new keys.
 */
export const reminderSchema = new Schema(
  {
    _id: { type: String, required: true },
    registrationId: { type: String, required: true },
    offsetMinutes: { type: Number, required: true },
    courseStartsAt: { type: Date, required: true },
    /** claimed → sent | failed | unreachable */
    status: { type: String, required: true, enum: REMINDER_STATUSES },
    code: { type: String },
    claimedAt: { type: Date, required: true },
    doneAt: { type: Date },
  },
  { minimize: false, versionKey: false },
);

// Retention deletes by `courseStartsAt` range (src/db/retention.ts).
reminderSchema.index({ courseStartsAt: 1 });

/** The Reminder model on a connection. */
export function reminderModel(conn: Connection) {
  return conn.model("Reminder", reminderSchema, "reminders");
}
