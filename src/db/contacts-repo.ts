import type { Database } from "./database.js";

/** Contact look-ups used when the bot writes first (reminders, promotions, broadcasts). */
export function createContactsRepo(db: Database) {
  const contacts = db.models.contact;
  return {
    /** The contact's language, or undefined for someone the bot has never met. */
    async localeOf(key: string): Promise<string | undefined> {
      const found = await contacts.findById(key, { locale: 1 }).lean();
      return found?.locale;
    },
    /** Records a permanent delivery failure (blocked, chat not found); cleared when they write again. */
    async markUnreachable(key: string, code: string, at: Date = new Date()): Promise<void> {
      await contacts.updateOne({ _id: key }, { $set: { unreachableAt: at, unreachableCode: code } });
    },
  };
}

/** The contacts repository. */
export type ContactsRepo = ReturnType<typeof createContactsRepo>;
