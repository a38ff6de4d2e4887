import { Schema, type Connection } from "mongoose";
import type { Locale } from "../../engine/messages.js";

/**
 * A person who talked to the bot on one channel: `_id` is `channel:userId`. It also holds a
 * snapshot of the conversation (`sessionState` at `sessionRev`); newer revisions, if any, are in
 * `session_revisions` (see `src/db/session-store.ts`).
 */
export const contactSchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true, index: true },
    userId: { type: String, required: true },
    locale: { type: String, required: true, default: "vi" },
    /** The snapshot `{ session, handled }` as JSON text (`src/db/session-store.ts`). */
    sessionState: { type: String },
    /** The engine's session JSON (versioned and validated by the engine), in snapshots written before `sessionState` or with a file. */
    session: { type: Schema.Types.Mixed },
    /** The revision `session` was saved at (0 or absent: none yet). */
    sessionRev: { type: Number },
    /** Wants broadcasts (users can /unsubscribe). */
    subscribed: { type: Boolean, default: true },
    /** Set when the platform said the user blocked the bot or the chat is gone; cleared when they write again. */
    unreachableAt: { type: Date, default: null },
    unreachableCode: { type: String, default: null },
    lastSeenAt: { type: Date },
  },
  { timestamps: true, minimize: false },
);

/**
 * What a contact starts with when a write creates it (`$setOnInsert` of the session store's
 * snapshot, its revision fold, the consent switch): one definition, so they cannot drift. `locale`
 * is the conversation's, else the deployment's `DEFAULT_LOCALE` (`Database.defaultLocale`).
 */
export function contactDefaults(key: string, locale: Locale): { channel: string; userId: string; subscribed: true; locale: Locale } {
  const [channel = "", ...rest] = key.split(":");
  return { channel, userId: rest.join(":"), subscribed: true, locale };
}

/** The Contact model on a connection. */
export function contactModel(conn: Connection) {
  return conn.model("Contact", contactSchema);
}
