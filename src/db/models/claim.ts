import { Schema, type Connection } from "mongoose";

/**
 * A once-only marker (e.g. "the report of broadcast X was sent"): inserting `_id` is the claim;
 * a second insert fails with duplicate key 11000.
 */
export const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Retention deletes by `at` range (src/db/retention.ts).
claimSchema.index({ at: 1 });

/** The Claim model on a connection. */
export function claimModel(conn: Connection) {
  return conn.model("Claim", claimSchema, "claims");
}
