import { Schema, type Connection } from "mongoose";

/**
 * A once-only event of a registration, claimed by insert (`_id` = `<kind>:<registrationId>`):
 * `leave` — the person left the waitlist, either `promoted` (with the seat) or `cancelled`,
 * whichever came first; `cancel` — the registration was cancelled (hooks run once); `resume` — a
 * pending registration is being finished after a crash (by one process).
 */
export const registrationClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ["leave", "cancel", "resume"] },
    courseId: { type: String, required: true },
    registrationId: { type: String, required: true },
    result: { type: String, default: null },
    seatNo: { type: Number, default: null },
  },
  { timestamps: true },
);
registrationClaimSchema.index({ kind: 1, registrationId: 1 }, { unique: true });
registrationClaimSchema.index({ courseId: 1, kind: 1 });

/** The RegistrationClaim model on a connection (collection `registrationclaims`). */
export function registrationClaimModel(conn: Connection) {
  return conn.model("RegistrationClaim", registrationClaimSchema);
}
