import type { Database } from "./database.js";

/** A contact's wish to receive broadcasts (`/subscribe`, `/unsubscribe`). */
export function createSubscriptionRepo(db: Database) {
  const contacts = db.models.contact;
  return {
    async set(key: string, subscribed: boolean): Promise<void> {
      await contacts.updateOne({ _id: key }, { $set: { subscribed } });
    },
    async get(key: string): Promise<boolean> {
      const c = await contacts.findById(key, { subscribed: 1 }).lean();
      return c?.subscribed !== false;
    },
  };
}

/** The subscription repository. */
export type SubscriptionRepo = ReturnType<typeof createSubscriptionRepo>;
