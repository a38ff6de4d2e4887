import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";

/** The URI of a fresh database named after the test file, on the run's real server. */
export function testDatabaseUri(name: string): string {
  return withDatabaseName(inject("mongoUri"), `t_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`);
}

/** Opens (after dropping) a database of its own for one test file. Close it in `afterAll`. */
export async function openTestDatabase(name: string): Promise<Database> {
  const uri = testDatabaseUri(name);
  const first = await openDatabase(uri);
  await first.connection.dropDatabase();
  await first.close();
  // Generous: the machine is shared, and these tests are not about stalls.
  return openDatabase(uri, { operationTimeoutMS: 30_000 });
}
