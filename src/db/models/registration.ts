import { Schema, Types, type Connection } from "mongoose";

/**
 * One person's registration for one course. `phoneKey` equals the phone while the registration
 * is active and becomes `cancelled:<_id>` when cancelled, so the unique (courseId, phoneKey)
 * index refuses a second active registration of one phone but lets them register again later.
 * The seat and waitlist claims live in their own collections (see registrations-repo.ts).
 */
export const registrationSchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    courseId: { type: String, required: true },
    contactId: { type: String, required: true, index: true },
    fullName: { type: String, default: null },
    phone: { type: String, default: null },
    phoneKey: { type: String, required: true },
    enterprise: {
      kind: { type: String, default: null },
      taxCode: { type: String, default: null },
      name: { type: String, default: null },
    },
    jobTitle: { type: String, default: null },
    consentAt: { type: Date, required: true },
    status: { type: String, required: true, enum: ["pending", "waitlisted", "confirmed", "cancelled"] },
    /** Forward-only guard for status writes (see domain/registration.ts `statusRank`). */
    statusRank: { type: Number, required: true },
    seatNo: { type: Number, default: null },
    waitPosition: { type: Number, default: null },
    confirmedAt: { type: Date, default: null },
    promotedAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
    /** Set when the person's data was erased (privacy); the row stays as an anonymous count. */
    erasedAt: { type: Date, default: null },
  },
  { timestamps: true, minimize: false },
);
registrationSchema.index({ courseId: 1, phoneKey: 1 }, { unique: true });
registrationSchema.index({ courseId: 1, status: 1 });

/** The Registration model on a connection (collection `registrations`). */
export function registrationModel(conn: Connection) {
  return conn.model("Registration", registrationSchema);
}
