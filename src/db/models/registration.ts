import { Schema, Types, type Connection, type InferSchemaType } from "mongoose";
import { REGISTRATION_STATUSES } from "../../domain/registration.js";

/**
 * One account's registration for one course. `accountKey` equals the chat contact
 * (`channel:userId`) while the registration is active and becomes `cancelled:<_id>` when
 * cancelled, so the unique (courseId, accountKey) index refuses a second active registration of
 * one account but lets it register again later. Registrations are per account, not per phone:
 * typing someone else's phone neither blocks them nor tells anything about them.
 * The seat and waitlist claims live in their own collections (see registrations-repo.ts).
 */
export const registrationSchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    courseId: { type: String, required: true },
    contactId: { type: String, required: true, index: true },
    fullName: { type: String, default: null },
    phone: { type: String, default: null },
    accountKey: { type: String, required: true },
    enterprise: {
      kind: { type: String, default: null },
      taxCode: { type: String, default: null },
      name: { type: String, default: null },
    },
    jobTitle: { type: String, default: null },
    consentAt: { type: Date, required: true },
    /** The form filling this came from (see domain/registration.ts `formId`). */
    formId: { type: String, default: null },
    status: { type: String, required: true, enum: REGISTRATION_STATUSES },
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
/** A registration as stored. */
export type RegistrationDoc = InferSchemaType<typeof registrationSchema>;

registrationSchema.index({ courseId: 1, accountKey: 1 }, { unique: true });
registrationSchema.index({ courseId: 1, status: 1 });

/** The Registration model on a connection (collection `registrations`). */
export function registrationModel(conn: Connection) {
  return conn.model("Registration", registrationSchema);
}
