import type { Database } from "./database.js";
import { createInsertBatcher } from "./insert-batcher.js";

/**
 * Once-only markers: inserting the key is the claim (duplicate key 11000 = someone has it).
 * Claims made at the same time go to the server together. Old markers are deleted by the
 * retention rules (src/db/retention.ts).
 */
export function createClaimsRepo(db: Database) {
  const claims = db.models.claim;
  const native = db.connection.db;
  if (!native) throw new Error("claims: the database connection is not open");
  const inserts = createInsertBatcher(native.collection<{ _id: string; at: Date }>(claims.collection.collectionName));
  return {
    /** True when this call took `key`; false when it was taken before. */
    async claimOnce(key: string, at: Date): Promise<boolean> {
      return (await inserts.insert({ _id: key, at })) === "inserted";
    },
  };
}

/** The claims repository. */
export type ClaimsRepo = ReturnType<typeof createClaimsRepo>;

