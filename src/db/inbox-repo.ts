/**
 * The update inbox: every platform update is inserted here before it is acknowledged, so an
 * acknowledged update is never lost. The insert under `_id = channel:updateId` is also the
 * de-duplication claim (a re-delivery collides with 11000). Once handled, a done marker
 * `_id = channel:updateId` is inserted into `inbox_done` (an insert, batched: on FerretDB an
 * update per update would halve throughput). Entries without a done marker when their lease runs
 * out (the process died or hung) are taken by the recovery sweep of any process; each attempt is
 * claimed by inserting `channel:updateId#attempt` into `inbox_attempts`, so exactly one process
 * runs it. Hot path: two batched inserts per update.
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
  /** Set when every attempt failed (the update was given up, and counted). */
  failed?: boolean;
}

/** Update and delete commands stay under FerretDB's 100-statement limit. */
const CHUNK = 50;

/** Creates the inbox repository over an open database. */
export function createInboxRepo(db: Database) {
  const native = db.connection.db;
  if (!native) throw new Error("inbox: the database connection is not open");
  const inbox = native.collection<InboxDoc>(db.models.inbox.collection.collectionName);
  const done = native.collection<{ _id: string; at: Date }>(db.models.inboxDone.collection.collectionName);
  const attempts = native.collection<{ _id: string; at: Date }>(db.models.inboxAttempt.collection.collectionName);
  const inserts = createInsertBatcher(inbox);
  const doneInserts = createInsertBatcher(done);
  /** Done markers handed to `markDone` and not stored yet. */
  const marking = new Set<Promise<void>>();

  /** Keys with a done marker among `keys` (one read of the markers since `since`). */
  async function doneAmong(keys: string[], since: Date): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const marks = await done.find({ at: { $gte: since } }, { projection: { _id: 1 } }).toArray();
    const wanted = new Set(keys);
    return new Set(marks.map((m) => m._id).filter((k) => wanted.has(k)));
  }

  return {
    /** Stores `update` under `key` (`channel:updateId`); "duplicate" when it was stored before. Throws when it could not be stored. */
    async accept(key: string, channel: string, update: unknown, at: Date): Promise<"new" | "duplicate"> {
      const outcome = await inserts.insert({ _id: key, channel, body: JSON.stringify(update), at, leaseAt: at, attempt: 0 });
      return outcome === "inserted" ? "new" : "duplicate";
    },
    /** Marks `key` handled (idempotent). */
    async done(key: string, at: Date): Promise<void> {
      await doneInserts.insert({ _id: key, at });
    },
    /**
     * Marks `key` handled without making the caller wait (the chat's next update need not wait
     * for it); `onError` hears a marker that could not be stored (the sweep then handles the
     * update again after its lease). `settle()` waits for every marker handed in.
     */
    markDone(key: string, at: Date, onError: (error: unknown) => void): void {
      const marked = doneInserts
        .insert({ _id: key, at })
        .then(() => undefined, onError)
        .finally(() => marking.delete(marked));
      marking.add(marked);
    },
    /** Resolves once every marker handed to `markDone` so far is stored or has failed (a clean stop leaves none to replay). */
    async settle(): Promise<void> {
      await Promise.all([...marking]);
    },
    /** Whether `key` was marked handled. */
    async isDone(key: string): Promise<boolean> {
      return (await done.findOne({ _id: key }, { projection: { _id: 1 } })) !== null;
    },
    /**
     * Takes up to `limit` entries of `channels` whose lease began in [`from`, `expiredBefore`) and
     * that are not done, claiming the next attempt of each; entries past `maxAttempts` are given
     * up (marked failed and done, counted in `gaveUp`). Safe in several processes at once.
     */
    async claimExpired(channels: string[], from: Date, expiredBefore: Date, now: Date, maxAttempts: number, limit = 100): Promise<{ taken: RecoveredUpdate[]; gaveUp: number }> {
      const candidates = await inbox
        .find({ leaseAt: { $gte: from, $lt: expiredBefore }, channel: { $in: channels }, failed: { $ne: true } }, { projection: { _id: 1, channel: 1, attempt: 1, at: 1 } })
        .toArray();
      if (candidates.length === 0) return { taken: [], gaveUp: 0 };
      const oldest = new Date(Math.min(...candidates.map((c) => c.at.getTime())));
      const handled = await doneAmong(candidates.map((c) => c._id), oldest);
      const taken: RecoveredUpdate[] = [];
      let gaveUp = 0;
      for (const doc of candidates.filter((c) => !handled.has(c._id))) {
        if (taken.length >= limit) break;
        const attempt = doc.attempt + 1;
        try {
          await attempts.insertOne({ _id: `${doc._id}#${attempt}`, at: now });
        } catch (error) {
          if (isDuplicateKey(error)) continue; // another process runs this attempt
          throw error;
        }
        if (attempt > maxAttempts) {
          await inbox.updateOne({ _id: doc._id }, { $set: { failed: true }, $unset: { body: "" } });
          await doneInserts.insert({ _id: doc._id, at: now });
          gaveUp++;
          continue;
        }
        await inbox.updateOne({ _id: doc._id }, { $set: { attempt, leaseAt: now } });
        // Handled meanwhile by its first taker (it was slow, not dead): nothing to do.
        if ((await done.findOne({ _id: doc._id }, { projection: { _id: 1 } })) !== null) continue;
        const full = await inbox.findOne({ _id: doc._id }, { projection: { body: 1 } });
        taken.push({ key: doc._id, channel: doc.channel, update: full?.body === undefined ? undefined : JSON.parse(full.body), attempt });
      }
      return { taken, gaveUp };
    },
    /**
     * Deletes entries received before `before` that are done (deletes by `_id`, indexed everywhere),
     * their done markers, and attempt claims older than it; an entry never handled is kept.
     */
    async prune(before: Date): Promise<{ inbox: number; done: number; attempts: number }> {
      const old = await done.find({ at: { $lt: before } }, { projection: { _id: 1 } }).toArray();
      let removed = 0;
      for (let i = 0; i < old.length; i += CHUNK) {
        const ops: AnyBulkWriteOperation<InboxDoc>[] = old.slice(i, i + CHUNK).map((d) => ({ deleteOne: { filter: { _id: d._id } } }));
        removed += (await inbox.bulkWrite(ops, { ordered: false })).deletedCount;
      }
      const [marks, tries] = await Promise.all([done.deleteMany({ at: { $lt: before } }), attempts.deleteMany({ at: { $lt: before } })]);
      return { inbox: removed, done: marks.deletedCount, attempts: tries.deletedCount };
    },
  };
}

/** The inbox repository. */
export type InboxRepo = ReturnType<typeof createInboxRepo>;
