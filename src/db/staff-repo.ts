import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { collectionOf } from "./models/collection.js";

/** Staff added in chat or from the CLI (configuration staff are not stored). */
export function createStaffRepo(db: Database) {
  const staff = db.models.staff;
  return {
    /** Adds `key` (`channel:userId`); false when already there. */
    async add(key: string, addedBy: string, at: Date): Promise<boolean> {
      try {
        await collectionOf(staff).insertOne({ _id: key, addedBy, addedAt: at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    /** Removes `key`; false when it was not stored. */
    async remove(key: string): Promise<boolean> {
      return (await staff.deleteOne({ _id: key })).deletedCount > 0;
    },
    /** Whether `key` is stored now (one read by `_id`). */
    async has(key: string): Promise<boolean> {
      return (await staff.findById(key, { _id: 1 }).lean()) !== null;
    },
    /** Every stored staff key. */
    async keys(): Promise<string[]> {
      return (await staff.find({}, { _id: 1 }).lean()).map((s) => s._id);
    },
  };
}

/** The staff repository. */
export type StaffRepo = ReturnType<typeof createStaffRepo>;
