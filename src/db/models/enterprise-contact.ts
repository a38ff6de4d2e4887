import { Schema, type Connection, type InferSchemaType } from "mongoose";

/**
 * One contact person of one enterprise: `_id` is `<taxCode>|<contactId>`, so a person is linked
 * to an enterprise at most once and attaching is an insert (no read-modify-write of an array,
 * which lost concurrent attaches). Only confirmed contacts are linked here; a second person's
 * request waits in `representation_requests` until a contact or staff approve it.
 */
export const enterpriseContactSchema = new Schema(
  {
    _id: { type: String, required: true },
    taxCode: { type: String, required: true, index: true },
    /** The chat contact (`channel:userId`) that gave these details. */
    contactId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    phone: { type: String, required: true },
    email: { type: String, default: null },
    /** When this person consented to their data being stored (Law 91/2025/QH15). */
    consentAt: { type: Date, required: true },
  },
  { timestamps: true, minimize: false, collection: "enterprise_contacts" },
);

/** A contact-person link as stored. */
export type EnterpriseContactDoc = InferSchemaType<typeof enterpriseContactSchema>;

/** The link id of a person and an enterprise. */
export function enterpriseContactId(taxCode: string, contactId: string): string {
  return `${taxCode}|${contactId}`;
}

/** The EnterpriseContact model on a connection (collection `enterprise_contacts`). */
export function enterpriseContactModel(conn: Connection) {
  return conn.model("EnterpriseContact", enterpriseContactSchema);
}
