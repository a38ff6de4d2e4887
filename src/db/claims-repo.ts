import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";

/** Once-only markers: inserting the key is the claim (duplicate key 11000 = someone has it). */
export function createClaimsRepo(db: Database) {
  const claims = db.models.claim;
  return {
    /** True when this call took `key`; false when it was taken before. */
    async claimOnce(key: string, at: Date): Promise<boolean> {
      try {
        await claims.collection.insertOne({ _id: key, at } as never);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    /** Deletes markers under `prefix` taken before `before` (no TTL indexes on FerretDB). */
    async prune(prefix: string, before: Date): Promise<number> {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const result = await claims.deleteMany({ _id: { $regex: `^${escaped}` }, at: { $lt: before } });
      return result.deletedCount;
    },
  };
}

/** The claims repository. */
export type ClaimsRepo = ReturnType<typeof createClaimsRepo>;

