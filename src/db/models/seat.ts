import { Schema, type Connection } from "mongoose";

/**
 * A seat claim: seat `seatNo` (1..capacity) of a course. Inserting it is taking the seat; the
 * unique (courseId, seatNo) key — also the `_id` `courseId:seatNo` — makes a second claim fail
 * with 11000, so a course can never hold more than `capacity` seats. `registrationId` is null
 * only for a seat reserved for a promotion still being decided.
 */
export const seatSchema = new Schema(
  {
    _id: { type: String, required: true },
    courseId: { type: String, required: true },
    seatNo: { type: Number, required: true },
    registrationId: { type: String, default: null },
  },
  { timestamps: true },
);
seatSchema.index({ courseId: 1, seatNo: 1 }, { unique: true });

/** The Seat model on a connection (collection `seats`). */
export function seatModel(conn: Connection) {
  return conn.model("Seat", seatSchema);
}
