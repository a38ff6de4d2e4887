import { Schema, Types, type Connection } from "mongoose";
import { PRIVACY_ACTIONS } from "../../domain/consent.js";

/**
 * One staff action on a person's data made outside the chat (a request by phone or letter):
 * who did it, when, what, on which account. Kept as the record that the request was answered;
 * log lines name only this record's id.
 */
export const privacyAuditSchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    at: { type: Date, required: true },
    /** The staff member, as given to the CLI (`--by`), else the operating-system user. */
    by: { type: String, required: true },
    action: { type: String, required: true, enum: PRIVACY_ACTIONS },
    /** The account (`channel:userId`) or, for decisions, the request id. */
    subject: { type: String, required: true },
    /** Counts or the outcome; never personal data. */
    result: { type: Schema.Types.Mixed, default: null },
  },
  { collection: "privacy_audit", minimize: false },
);
privacyAuditSchema.index({ at: -1 });

/** The PrivacyAudit model on a connection (collection `privacy_audit`). */
export function privacyAuditModel(conn: Connection) {
  return conn.model("PrivacyAudit", privacyAuditSchema);
}
