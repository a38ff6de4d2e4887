import { Schema, type Connection } from "mongoose";

/**
 * One saved revision of one user's session: `_id` is `channel:userId#revision`, so two writers
 * saving the same revision collide on the unique `_id` and exactly one wins (the claim pattern
 * of docs/database.md). The contact document holds a snapshot that trails these by a few
 * seconds; revisions older than an hour are folded into it and deleted (`pruneSessionRevisions`).
 */
export const sessionRevisionSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    rev: { type: Number, required: true },
    /** `{ session, handled }` as JSON text (`src/db/session-store.ts`); absent once erased. */
    state: { type: String },
    /** The session JSON in revisions written before `state` or with a file; null once erased (privacy). */
    session: { type: Schema.Types.Mixed },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/** The SessionRevision model on a connection. */
export function sessionRevisionModel(conn: Connection) {
  return conn.model("SessionRevision", sessionRevisionSchema, "session_revisions");
}
