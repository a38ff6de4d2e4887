import type { Collection, Document, Filter, FindOptions } from "mongodb";
import { createBatchLane } from "./batch-lane.js";

interface Waiting<T> {
  id: string;
  resolve(doc: T | null): void;
  reject(error: unknown): void;
}

/** Ids per `find` (a command's size, and FerretDB's pushdown takes at most 1,000). */
const MAX_BATCH = 100;

/**
 * Group reads by `_id`, the read side of `createInsertBatcher`: look-ups asked for while one
 * read is on its way go together in the next one, as `find({ _id: { $in: ids } })`. A lone
 * look-up is a plain `findOne`, with no added delay. Under load this turns many round trips
 * into a few: on FerretDB (with the project's `$in` pushdown, scripts/build-ferretdb.sh) 16
 * look-ups cost ~1.2 ms of server CPU together against ~5 ms one by one, and the bot's driver
 * saves as much again. A read is always sent after it was asked for, so it sees every write
 * that finished before.
 */
export function createIdReader<T extends Document & { _id: string }>(collection: Collection<T>, options: Pick<FindOptions, "projection" | "promoteBuffers"> = {}) {
  async function read(batch: Waiting<T>[]): Promise<void> {
    try {
      const ids = [...new Set(batch.map((w) => w.id))];
      const docs = ids.length === 1
        ? [await collection.findOne({ _id: ids[0] } as Filter<T>, options)].filter((d) => d !== null)
        : await collection.find({ _id: { $in: ids } } as Filter<T>, options).toArray();
      const byId = new Map<string, T>();
      for (const doc of docs) byId.set(doc._id, doc as T);
      for (const w of batch) w.resolve(byId.get(w.id) ?? null);
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  const push = createBatchLane(MAX_BATCH, read);

  return {
    /** The document with `_id` (with the reader's projection), or null. */
    findById(id: string): Promise<T | null> {
      return new Promise<T | null>((resolve, reject) => {
        push({ id, resolve, reject });
      });
    },
  };
}

/** What `createIdReader` returns. */
export type IdReader<T extends Document & { _id: string }> = ReturnType<typeof createIdReader<T>>;

/** An id reader whose collection is looked up on first use (see `lazyInsertBatcher`). */
export function lazyIdReader<T extends Document & { _id: string }>(collection: () => Collection<T>, options: Pick<FindOptions, "projection" | "promoteBuffers"> = {}): IdReader<T> {
  let reader: IdReader<T> | undefined;
  return { findById: (id) => (reader ??= createIdReader(collection(), options)).findById(id) };
}
