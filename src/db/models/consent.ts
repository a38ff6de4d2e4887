import { Schema, type Connection } from "mongoose";
import { CONSENT_PURPOSES } from "../../domain/consent.js";

/**
 * One person's consent for one purpose: `_id` is `<contactId>|<purpose>`. `givenAt` is when they
 * said yes; `withdrawnAt` is set when they take it back (and cleared when they give it again).
 */
export const consentSchema = new Schema(
  {
    _id: { type: String, required: true },
    contactId: { type: String, required: true, index: true },
    purpose: { type: String, required: true, enum: CONSENT_PURPOSES },
    givenAt: { type: Date, required: true },
    withdrawnAt: { type: Date, default: null },
  },
  { timestamps: true, minimize: false, collection: "consents" },
);

/** The Consent model on a connection (collection `consents`). */
export function consentModel(conn: Connection) {
  return conn.model("Consent", consentSchema);
}
