import type { Database } from "./database.js";

/** The fields of a session the store reads besides its opaque body. */
interface StoredSession {
  locale?: string;
}

/**
 * Sessions live on the contact document (`_id` = `channel:userId`): one read and one write per
 * update, both by `_id` — the only indexed lookup on FerretDB. Writing also records that the
 * user was seen, which clears an "unreachable" mark (they wrote to the bot again).
 *
 * This is the hottest path in the bot, so it talks to the driver's collection directly: the
 * session is opaque JSON validated by the engine, and mongoose's query building and casting
 * cost about as much CPU as the round trip itself.
 */
export function createMongoSessionStore(db: Database, clock: () => Date = () => new Date()) {
  const contacts = db.models.contact.collection;
  return {
    /** The stored session JSON, unvalidated (the engine validates and migrates it), or null. */
    async read(key: string): Promise<unknown> {
      const found = await contacts.findOne({ _id: key as never }, { projection: { session: 1 } });
      return found?.session ?? null;
    },
    /** Saves the session and marks the contact as seen now. */
    async write(key: string, session: StoredSession): Promise<void> {
      const [channel, ...rest] = key.split(":");
      const now = clock();
      await contacts.updateOne(
        { _id: key as never },
        {
          $set: { session, lastSeenAt: now, updatedAt: now, unreachableAt: null, unreachableCode: null, ...(session.locale ? { locale: session.locale } : {}) },
          $setOnInsert: { channel, userId: rest.join(":"), subscribed: true, createdAt: now, ...(session.locale ? {} : { locale: "vi" }) },
        },
        { upsert: true },
      );
    },
  };
}

/** The MongoDB-backed session store. */
export type MongoSessionStore = ReturnType<typeof createMongoSessionStore>;
