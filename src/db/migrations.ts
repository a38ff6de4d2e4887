/**
 * Data written by older versions, brought to today's shapes at start (idempotent, safe to run
 * in several processes at once: each step writes the same result whoever runs it).
 */
import type { Database } from "./database.js";
import { createEnterprisesRepo } from "./enterprises-repo.js";

/** What the migrations changed (counts only: no personal data). */
export interface MigrationReport {
  enterpriseContactsMoved: number;
}

/** Runs every migration; call once after `openDatabase`, before serving. */
export async function migrateData(db: Database): Promise<MigrationReport> {
  const enterpriseContactsMoved = await createEnterprisesRepo(db).migrateEmbeddedContacts();
  return { enterpriseContactsMoved };
}
