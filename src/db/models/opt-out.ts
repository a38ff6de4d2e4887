import { Schema, type Connection } from "mongoose";

/**
 * "This contact stopped receiving announcements at `at`" (a withdrawal, an unsubscribe, an
 * erasure), insert-only. A running broadcast reads the ones since it resolved its audience a few
 * times a second instead of reading every recipient's contact before its send (which cost a
 * read per message: at 1,000 messages/s most of the database's CPU). Kept a day (retention).
 */
export const optOutSchema = new Schema(
  {
    _id: { type: String, required: true },
    contact: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Broadcasts read by `at` range; retention deletes by it.
optOutSchema.index({ at: 1 });

/** The OptOut model on a connection (collection `opt_outs`). */
export function optOutModel(conn: Connection) {
  return conn.model("OptOut", optOutSchema, "opt_outs");
}
