import { Schema, type Connection, type InferSchemaType } from "mongoose";

/** A contact person of an enterprise, linked to the chat contact (`channel:userId`) that gave the details. */
const contactPersonSchema = new Schema(
  {
    contactId: { type: String, required: true },
    name: { type: String, required: true },
    phone: { type: String, required: true },
    email: { type: String, default: null },
    /** When this person consented to their data being stored. */
    consentAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * An enterprise registered for support. `_id` is the canonical tax code, so "one enterprise per
 * tax code" is the `_id` uniqueness itself (atomic on FerretDB too) and look-ups are by `_id`.
 */
export const enterpriseSchema = new Schema(
  {
    _id: { type: String, required: true },
    taxCode: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    sector: { type: String, required: true },
    size: { type: String, required: true },
    address: { type: String, required: true },
    supportInterests: { type: [String], default: [] },
    /** Legacy shape (before contact links): migrated into `enterprise_contacts` at start. Never written. */
    contacts: { type: [contactPersonSchema], default: undefined },
  },
  { timestamps: true, minimize: false },
);

/** An enterprise as stored. */
export type EnterpriseDoc = InferSchemaType<typeof enterpriseSchema>;
/** A contact person embedded the legacy way. */
export type LegacyContactPerson = InferSchemaType<typeof contactPersonSchema>;

/** The Enterprise model on a connection (collection `enterprises`). */
export function enterpriseModel(conn: Connection) {
  return conn.model("Enterprise", enterpriseSchema);
}
