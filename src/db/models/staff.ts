import { Schema, type Connection } from "mongoose";

/**
 * A staff member added in chat or from the CLI (`/staff add`); `_id` is `channel:userId`.
 * Staff from the `STAFF_IDS` setting are not stored: configuration always wins.
 */
export const staffSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Who added them (`channel:userId` or `cli`). */
    addedBy: { type: String, required: true },
    addedAt: { type: Date, required: true },
  },
  { minimize: false, versionKey: false },
);

/** The Staff model on a connection. */
export function staffModel(conn: Connection) {
  return conn.model("Staff", staffSchema, "staff");
}
