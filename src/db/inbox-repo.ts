/**
 * The update inbox: every platform update is inserted here before it is acknowledged, so an
 * acknowledged update is never lost. The insert under `_id = channel:updateId` is also the
 * de-duplication claim (a re-delivery collides with 11000). After handling, the entry is marked
 * done and its body dropped. Entries not done when their lease runs out (the process died or
 * hung) are taken by the recovery sweep of any process; each attempt is claimed by inserting
 * `channel:updateId#attempt` into `inbox_attempts`, so exactly one process runs it.
 * Hot path: one batched insert per update and one batched update when it is done.
 */
import type { AnyBulkWriteOperation } from "mongodb";
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { createInsertBatcher } from "./insert-batcher.js";

/** A stored update taken by the recovery sweep for one more attempt. */
export interface RecoveredUpdate {
  key: string;
  channel: string;
  update: unknown;
  attempt: number;
}

interface InboxDoc {
  _id: string;
  channel: string;
  /** The raw update as JSON text (FerretDB refuses nested arrays, which keyboards are). */
  body?: string;
  at: Date;
  leaseAt: Date;
  attempt: number;
  doneAt?: Date;
  failed?: boolean;
}

/** Update commands stay under FerretDB's 100-statement limit. */
const CHUNK = 50;

/** Creates the inbox repository over an open database. */
export function createInboxRepo(db: Database) {
  const native = db.connection.db;
  if (!native) throw new Error("inbox: the database connection is not open");
  const inbox = native.collection<InboxDoc>(db.models.inbox.collection.collectionName);
  const attempts = native.collection<{ _id: string; at: Date }>(db.models.inboxAttempt.collection.collectionName);
  const inserts = createInsertBatcher(inbox);

  // Done marks made while one bulk write is on its way go together in the next one.
  let marks: { op: AnyBulkWriteOperation<InboxDoc>; settle: (error?: unknown) => void }[] = [];
  let marking = false;
  async function pumpMarks(): Promise<void> {
    if (marking) return;
    marking = true;
    try {
      while (marks.length > 0) {
        const batch = marks.slice(0, CHUNK);
        marks = marks.slice(batch.length);
        try {
          await inbox.bulkWrite(batch.map((m) => m.op), { ordered: false });
          for (const m of batch) m.settle();
        } catch (error) {
          for (const m of batch) m.settle(error);
        }
      }
    } finally {
      marking = false;
    }
  }
  function mark(key: string, set: Partial<InboxDoc>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      marks.push({
        op: { updateOne: { filter: { _id: key }, update: { $set: set, $unset: { body: "" } } } },
        settle: (error) => (error === undefined ? resolve() : reject(error as Error)),
      });
      void pumpMarks();
    });
  }

  return {
    /** Stores `update` under `key` (`channel:updateId`); "duplicate" when it was stored before. Throws when it could not be stored. */
    async accept(key: string, channel: string, update: unknown, at: Date): Promise<"new" | "duplicate"> {
      const outcome = await inserts.insert({ _id: key, channel, body: JSON.stringify(update), at, leaseAt: at, attempt: 0 });
      return outcome === "inserted" ? "new" : "duplicate";
    },
    /** Marks `key` handled and drops its body. */
    done: (key: string, at: Date) => mark(key, { doneAt: at }),
    /**
     * Takes up to `limit` entries of `channels` whose lease began before `expiredBefore` and that are not done,
     * claiming the next attempt of each; entries past `maxAttempts` are given up (marked failed,
     * returned in `gaveUp`). Safe to run in several processes at once: each attempt goes to one.
     */
    async claimExpired(channels: string[], expiredBefore: Date, now: Date, maxAttempts: number, limit = 100): Promise<{ taken: RecoveredUpdate[]; gaveUp: number }> {
      const stale = await inbox
        .find({ doneAt: { $exists: false }, leaseAt: { $lt: expiredBefore }, channel: { $in: channels } }, { limit })
        .toArray();
      const taken: RecoveredUpdate[] = [];
      let gaveUp = 0;
      for (const doc of stale) {
        const attempt = doc.attempt + 1;
        try {
          await attempts.insertOne({ _id: `${doc._id}#${attempt}`, at: now });
        } catch (error) {
          if (isDuplicateKey(error)) continue; // another process runs this attempt
          throw error;
        }
        if (attempt > maxAttempts) {
          await mark(doc._id, { doneAt: now, failed: true });
          gaveUp++;
          continue;
        }
        // Handled meanwhile by its first taker (it was slow, not dead): nothing to do.
        const renewed = await inbox.updateOne({ _id: doc._id, doneAt: { $exists: false } }, { $set: { attempt, leaseAt: now } });
        if (renewed.matchedCount === 0) continue;
        taken.push({ key: doc._id, channel: doc.channel, update: doc.body === undefined ? undefined : (JSON.parse(doc.body) as unknown), attempt });
      }
      return { taken, gaveUp };
    },
    /** Deletes entries done before `before` and attempt claims older than it; the counts. */
    async prune(before: Date): Promise<{ inbox: number; attempts: number }> {
      const [a, b] = await Promise.all([inbox.deleteMany({ doneAt: { $lt: before } }), attempts.deleteMany({ at: { $lt: before } })]);
      return { inbox: a.deletedCount, attempts: b.deletedCount };
    },
  };
}

/** The inbox repository. */
export type InboxRepo = ReturnType<typeof createInboxRepo>;
