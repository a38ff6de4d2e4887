import type { Database } from "./database.js";

/** The fields of a session the store reads besides its opaque body. */
interface StoredSession {
  locale?: string;
}

/**
 * Sessions live on the contact document (`_id` = `channel:userId`): one read and one write per
 * update, both by `_id` — the only indexed lookup on FerretDB. Writing also records that the
 * user was seen, which clears an "unreachable" mark (they wrote to the bot again).
 */
export function createMongoSessionStore(db: Database, clock: () => Date = () => new Date()) {
  const contacts = db.models.contact;
  return {
    /** The stored session JSON, unvalidated (the engine validates and migrates it), or null. */
    async read(key: string): Promise<unknown> {
      const found = await contacts.findById(key, { session: 1 }).lean();
      return found?.session ?? null;
    },
    /** Saves the session and marks the contact as seen now. */
    async write(key: string, session: StoredSession): Promise<void> {
      const [channel, ...rest] = key.split(":");
      await contacts.updateOne(
        { _id: key },
        {
          $set: { session, lastSeenAt: clock(), unreachableAt: null, unreachableCode: null, ...(session.locale ? { locale: session.locale } : {}) },
          $setOnInsert: { channel, userId: rest.join(":") },
        },
        { upsert: true },
      );
    },
  };
}

/** The MongoDB-backed session store. */
export type MongoSessionStore = ReturnType<typeof createMongoSessionStore>;
