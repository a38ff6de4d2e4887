/** Consents per purpose (see `domain/consent.ts`); every read goes to the database, never a cache. */
import { randomUUID } from "node:crypto";
import type { Database } from "./database.js";
import { lazyIdReader } from "./id-reader.js";
import { lazyInsertBatcher } from "./insert-batcher.js";
import { driverCollectionOf } from "./models/collection.js";
import { contactDefaults } from "./models/contact.js";
import type { ConsentPurpose } from "../domain/consent.js";

/** A purpose's state for one person. */
export interface ConsentState {
  purpose: ConsentPurpose;
  givenAt: Date;
  withdrawnAt: Date | null;
}

/** The consents repository. Announcements consent is also the contact's `subscribed` switch, which the broadcast audience reads. */
export function createConsentRepo(db: Database) {
  const { consent, contact, optOut } = db.models;
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  // The form's hot path: a read by `_id` and an insert batched with the ones made at the same moment.
  const consentRows = () => driverCollectionOf(consent);
  const newConsents = lazyInsertBatcher(consentRows);
  const consentReads = lazyIdReader(consentRows, { projection: { givenAt: 1, withdrawnAt: 1 } });
  const idOf = (contactId: string, purpose: ConsentPurpose) => `${contactId}|${purpose}`;

  /**
   * Sets the broadcast switch, creating the contact if its snapshot is not written yet (the
   * session store writes it a few seconds behind, with `subscribed: true` only on insert): an
   * unsubscribe must not be undone by that later insert. A racing insert is retried once.
   */
  async function setSubscribed(key: string, subscribed: boolean): Promise<void> {
    // A stop is announced first (see models/opt-out.ts): a broadcast running now, on any process,
    // leaves this contact out from its next look (a fraction of a second), even if the switch
    // below then fails (the person is told, and asks again).
    if (!subscribed) await optOut.create({ _id: `${key}|${randomUUID()}`, contact: key, at: new Date() });
    const { subscribed: _default, ...onInsert } = contactDefaults(key, db.defaultLocale);
    const update = { $set: { subscribed }, $setOnInsert: onInsert };
    try {
      await contact.updateOne({ _id: key }, update, { upsert: true });
    } catch {
      await contact.updateOne({ _id: key }, { $set: { subscribed } });
    }
  }

  return {
    /** When this person gave consent for the purpose (and has not withdrawn it), or null. */
    async givenAt(contactId: string, purpose: ConsentPurpose): Promise<Date | null> {
      const doc = await consentReads.findById(idOf(contactId, purpose));
      return doc && !doc.withdrawnAt ? doc.givenAt : null;
    },
    /** Records a yes (again after a withdrawal). Announcements: subscribes too. */
    async give(contactId: string, purpose: ConsentPurpose, at: Date): Promise<void> {
      const _id = idOf(contactId, purpose);
      const set = { givenAt: at, withdrawnAt: null };
      if ((await newConsents.insert({ _id, contactId, purpose, ...set, createdAt: at, updatedAt: at })) === "duplicate") await consent.updateOne({ _id }, { $set: set });
      if (purpose === "announcements") await setSubscribed(contactId, true);
    },
    /** Records a withdrawal; false when there was no consent to withdraw. Announcements: unsubscribes at once. */
    async withdraw(contactId: string, purpose: ConsentPurpose, at: Date): Promise<boolean> {
      if (purpose === "announcements") await setSubscribed(contactId, false);
      const res = await consent.updateOne({ _id: idOf(contactId, purpose), withdrawnAt: null }, { $set: { withdrawnAt: at } });
      return res.modifiedCount > 0;
    },
    /** Every purpose this person ever answered, with its state. */
    async list(contactId: string): Promise<ConsentState[]> {
      const docs = await consent.find({ contactId }).sort({ purpose: 1 }).lean();
      return docs.map((d) => ({ purpose: d.purpose, givenAt: d.givenAt, withdrawnAt: d.withdrawnAt ?? null }));
    },
    /** Forgets every consent of this person and unsubscribes them (erasure). */
    async erase(contactId: string): Promise<void> {
      await setSubscribed(contactId, false);
      await consent.deleteMany({ contactId });
    },
  };
}

/** The consents repository. */
export type ConsentRepo = ReturnType<typeof createConsentRepo>;
