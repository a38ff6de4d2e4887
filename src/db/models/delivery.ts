import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { DELIVERY_RECORD_STATUSES } from "../../domain/broadcast.js";

/**
 * Broadcast delivery records, insert-only. The claim `broadcastId/channel:userId` (status
 * `claimed`) is inserted before the send, so a second send is impossible (duplicate key 11000);
 * the outcome `broadcastId/channel:userId#` (`sent`, `failed`, `unreachable`) is inserted once
 * the platform answered; `…#resent` hands the recipient to a resend broadcast. A claim without
 * an outcome after the run is "in doubt" (the process died while it was in flight).
 */
export const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    broadcastId: { type: String, required: true },
    contact: { type: String, required: true },
    status: { type: String, required: true, enum: DELIVERY_RECORD_STATUSES },
    /** The platform's error code for failed/unreachable ones. */
    code: { type: String },
    claimedAt: { type: Date, required: true },
    doneAt: { type: Date },
    attempts: { type: Number },
    /** The resend broadcast that took over an in-doubt or failed recipient. */
    resentIn: { type: String },
  },
  { minimize: false, versionKey: false },
);

/** A delivery record as stored. */
export type DeliveryDoc = InferSchemaType<typeof deliverySchema>;

// Retention deletes by `claimedAt` range (src/db/retention.ts).
deliverySchema.index({ claimedAt: 1 });

/** The Delivery model on a connection. */
export function deliveryModel(conn: Connection) {
  return conn.model("Delivery", deliverySchema, "deliveries");
}
