import { Schema, type Connection } from "mongoose";

/**
 * A received platform update, stored before it is acknowledged (`_id` = `channel:updateId`, so
 * the insert is also the de-duplication claim). `body` is the raw update as JSON text;
 * handled = a marker in `inbox_done`; `leaseAt` is when its current attempt began, `attempt`
 * its number (0 = the receiving process). The recovery sweep takes entries whose lease ran out.
 */
export const inboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    body: { type: String },
    at: { type: Date, required: true },
    leaseAt: { type: Date, required: true },
    attempt: { type: Number, required: true },
    /** Set when every attempt failed (the update was given up, and counted). */
    failed: { type: Boolean },
  },
  { versionKey: false, minimize: false },
);
// The sweep reads entries by `leaseAt` range (indexed on MongoDB).
inboxSchema.index({ leaseAt: 1 });

/** A done marker of an inbox entry (`_id` = `channel:updateId`): the update was handled at `at`. */
export const inboxDoneSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
// The sweep and retention read markers by `at` range.
inboxDoneSchema.index({ at: 1 });

/**
 * A processing attempt of an inbox entry (`_id` = `channel:updateId#attempt`): inserting it is
 * the claim that makes exactly one process run that attempt.
 */
export const inboxAttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
inboxAttemptSchema.index({ at: 1 });

/** The Inbox model on a connection (collection `inbox`). */
export function inboxModel(conn: Connection) {
  return conn.model("Inbox", inboxSchema, "inbox");
}

/** The InboxDone model on a connection (collection `inbox_done`). */
export function inboxDoneModel(conn: Connection) {
  return conn.model("InboxDone", inboxDoneSchema, "inbox_done");
}

/** The InboxAttempt model on a connection (collection `inbox_attempts`). */
export function inboxAttemptModel(conn: Connection) {
  return conn.model("InboxAttempt", inboxAttemptSchema, "inbox_attempts");
}
