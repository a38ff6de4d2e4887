import { Schema, Types, type Connection } from "mongoose";

/**
 * A sign-in link for the staff console (`/web` in the bot): single-use, valid minutes. `_id` is
 * the SHA-256 of the token, so the database never holds a usable link; "used once" is a claim.
 */
export const consoleLinkSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The staff member it signs in (`channel:userId`). */
    staffKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { collection: "console_links", minimize: false, versionKey: false },
);
consoleLinkSchema.index({ expiresAt: 1 });

/**
 * A signed-in console session, kept server-side: the cookie holds a random token, `_id` its
 * SHA-256. The CSRF token is the session's own (synchronizer token), never in a cookie.
 */
export const consoleSessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    staffKey: { type: String, required: true },
    locale: { type: String, required: true, enum: ["vi", "en"] },
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** Absolute end; idle sessions end earlier (`seenAt` + idle limit). */
    expiresAt: { type: Date, required: true },
    seenAt: { type: Date, required: true },
  },
  { collection: "console_sessions", minimize: false, versionKey: false },
);
consoleSessionSchema.index({ expiresAt: 1 });
consoleSessionSchema.index({ staffKey: 1 });

/** What staff did, wherever they did it (console, chat, CLI): who, what, on what, when; never personal data. */
export const staffAuditSchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    at: { type: Date, required: true },
    by: { type: String, required: true },
    via: { type: String, required: true, enum: ["console", "chat", "cli"] },
    /** A stable name such as `course.create`, `signin`, `export.registrations`. */
    action: { type: String, required: true },
    /** The id acted on (course, broadcast, request, account key), if any. */
    target: { type: String, default: null },
    /** The outcome code (`ok`, `invalid`, `refused`…). */
    result: { type: String, default: null },
  },
  { collection: "staff_audit", minimize: false, versionKey: false },
);
staffAuditSchema.index({ at: -1 });
staffAuditSchema.index({ by: 1, at: -1 });

/** The console's models on a connection. */
export function consoleModels(conn: Connection) {
  return {
    consoleLink: conn.model("ConsoleLink", consoleLinkSchema),
    consoleSession: conn.model("ConsoleSession", consoleSessionSchema),
    staffAudit: conn.model("StaffAudit", staffAuditSchema),
  };
}
