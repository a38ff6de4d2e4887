import { Schema, type Connection } from "mongoose";

/**
 * A waitlist position claim: position `position` of a course's waitlist, unique per course
 * (also the `_id` `courseId:position`). Entries stay after promotion or cancellation (flagged
 * `left`); who may be promoted is decided by the `leave:` registration claim (see registrations-repo.ts).
 */
export const waitlistEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    position: { type: Number, required: true },
    registrationId: { type: String, required: true },
    /** Hint: this person left the line (the `leave:` registration claim is the truth). */
    left: { type: Boolean, default: false },
  },
  { timestamps: true },
);
waitlistEntrySchema.index({ courseId: 1, position: 1 }, { unique: true });

/** The WaitlistEntry model on a connection (collection `waitlistentries`). */
export function waitlistEntryModel(conn: Connection) {
  return conn.model("WaitlistEntry", waitlistEntrySchema);
}
