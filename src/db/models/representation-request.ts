import { Schema, Types, type Connection, type InferSchemaType } from "mongoose";

/**
 * A person asking to represent an enterprise already registered by someone else: it waits here
 * until a confirmed contact or staff approve (then it becomes a link in `enterprise_contacts`)
 * or decline it. One request per (enterprise, person) at a time (unique index).
 */
export const representationRequestSchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    taxCode: { type: String, required: true },
    contactId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    phone: { type: String, required: true },
    email: { type: String, default: null },
    consentAt: { type: Date, required: true },
  },
  { timestamps: true, minimize: false, collection: "representation_requests" },
);
/** A representation request as stored. */
export type RepresentationRequestDoc = InferSchemaType<typeof representationRequestSchema>;

representationRequestSchema.index({ taxCode: 1, contactId: 1 }, { unique: true });

/** The RepresentationRequest model on a connection (collection `representation_requests`). */
export function representationRequestModel(conn: Connection) {
  return conn.model("RepresentationRequest", representationRequestSchema);
}
