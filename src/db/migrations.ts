/**
 * Data written by older versions, brought to today's shapes at start (idempotent, safe to run
 * in several processes at once: each step writes the same result whoever runs it).
 */
import type { Connection } from "mongoose";
import type { Database } from "./database.js";
import { createEnterprisesRepo } from "./enterprises-repo.js";

/** What the migrations changed (counts only: no personal data). */
export interface MigrationReport {
  enterpriseContactsMoved: number;
}

/**
 * Registrations were unique per (course, phone) (`phoneKey`); they are unique per (course,
 * account) now (`accountKey`). Runs before the indexes are built: the new unique index needs
 * every document keyed, and the old one must go (it would still let a typed phone block its
 * owner). An account holding two active registrations of one course from the old rule keeps both
 * (the later one keyed `legacy:<_id>`). Returns how many documents were keyed.
 */
export async function migrateBeforeIndexes(conn: Connection): Promise<number> {
  const registrations = conn.collection("registrations");
  const old = await registrations.find({ accountKey: { $exists: false } }, { projection: { _id: 1, courseId: 1, contactId: 1, status: 1 } }).sort({ createdAt: 1 }).toArray();
  const active = new Set<string>();
  for (const doc of old) {
    const id = String(doc._id);
    const pair = `${String(doc.courseId)}|${String(doc.contactId)}`;
    const accountKey = doc.status === "cancelled" ? `cancelled:${id}` : active.has(pair) ? `legacy:${id}` : pair.slice(pair.indexOf("|") + 1);
    if (doc.status !== "cancelled") active.add(pair);
    await registrations.updateOne({ _id: doc._id }, { $set: { accountKey }, $unset: { phoneKey: 1 } });
  }
  const indexes = await registrations.indexes().catch(() => []);
  if (indexes.some((i) => i.name === "courseId_1_phoneKey_1")) await registrations.dropIndex("courseId_1_phoneKey_1").catch(() => undefined); // another process dropped it
  return old.length;
}

/** Runs every migration; call once after `openDatabase`, before serving. */
export async function migrateData(db: Database): Promise<MigrationReport> {
  const enterpriseContactsMoved = await createEnterprisesRepo(db).migrateEmbeddedContacts();
  return { enterpriseContactsMoved };
}
