import { MongoBulkWriteError, type Collection, type Document, type OptionalUnlessRequiredId } from "mongodb";
import { createBatchLane } from "./batch-lane.js";

/** What happened to one document handed to the batcher. */
export type InsertOutcome = "inserted" | "duplicate";

interface Waiting<T> {
  doc: OptionalUnlessRequiredId<T>;
  resolve(outcome: InsertOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit for inserts: documents handed in while one `insertMany` is on its way go
 * together in the next one (unordered, so one duplicate does not stop the rest). Under load
 * this turns many round trips into a few: on FerretDB a document costs ~0.1 ms of server CPU
 * in a batch of 30 against ~0.8 ms alone. With one writer it is a plain insert, no added delay.
 * Each caller learns its own document's fate: inserted, a duplicate `_id` (someone claimed it
 * first), or the error.
 */
export function createInsertBatcher<T extends Document>(collection: Collection<T>, maxBatch = 500) {
  async function send(batch: Waiting<T>[]): Promise<void> {
    try {
      await collection.insertMany(batch.map((w) => w.doc), { ordered: false });
      for (const w of batch) w.resolve("inserted");
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) {
        for (const w of batch) w.reject(error);
        return;
      }
      // The driver gives one entry per failed document, by its index in the batch.
      const writeErrors = [error.writeErrors].flat();
      // A bulk error that accounts for fewer documents than were sent is the command failing (the
      // server unreachable: 0 inserted, no write errors): nothing is known stored, so none is "inserted".
      if (error.insertedCount + writeErrors.length < batch.length) {
        for (const w of batch) w.reject(error);
        return;
      }
      const failed = new Map<number, number | undefined>();
      for (const e of writeErrors) failed.set(e.index, e.code);
      batch.forEach((w, i) => {
        if (!failed.has(i)) w.resolve("inserted");
        else if (failed.get(i) === 11000) w.resolve("duplicate");
        else w.reject(error);
      });
    }
  }

  const push = createBatchLane(maxBatch, send);

  return {
    /** Inserts `doc` with the next batch. */
    insert(doc: OptionalUnlessRequiredId<T>): Promise<InsertOutcome> {
      return new Promise<InsertOutcome>((resolve, reject) => {
        push({ doc, resolve, reject });
      });
    },
  };
}

/** What `createInsertBatcher` returns. */
export type InsertBatcher<T extends Document> = ReturnType<typeof createInsertBatcher<T>>;

/**
 * An insert batcher whose collection is looked up on first use, for repositories that are built
 * before the connection is open.
 */
export function lazyInsertBatcher<T extends Document>(collection: () => Collection<T>): InsertBatcher<T> {
  let batcher: InsertBatcher<T> | undefined;
  return { insert: (doc) => (batcher ??= createInsertBatcher(collection())).insert(doc) };
}
