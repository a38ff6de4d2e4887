import { createConsentRepo } from "./consent-repo.js";
import type { Database } from "./database.js";

/** A contact's wish to receive broadcasts (`/subscribe`, `/unsubscribe`): the announcements consent. */
export function createSubscriptionRepo(db: Database) {
  const contacts = db.models.contact;
  const consents = createConsentRepo(db);
  return {
    /** Typing /subscribe is the explicit yes (stored with its time); /unsubscribe withdraws it. */
    async set(key: string, subscribed: boolean): Promise<void> {
      if (subscribed) await consents.give(key, "announcements", new Date());
      else await consents.withdraw(key, "announcements", new Date());
    },
    async get(key: string): Promise<boolean> {
      const c = await contacts.findById(key, { subscribed: 1 }).lean();
      return c?.subscribed !== false;
    },
  };
}

/** The subscription repository. */
export type SubscriptionRepo = ReturnType<typeof createSubscriptionRepo>;
