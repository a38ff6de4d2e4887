/**
 * `npm run seed`: adds the sample courses to the database the bot uses (MONGODB_URI, or the
 * local one in DATA_DIR). Running it again adds nothing.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { openDatabase } from "./database.js";
import { createCoursesRepo } from "./courses-repo.js";
import { startLocalServer, type LocalServer } from "./local-server.js";
import { seedSampleCourses } from "./seed-courses.js";
import { withDatabaseName } from "./uri.js";

if (existsSync(".env")) process.loadEnvFile(".env");
let local: LocalServer | undefined;
try {
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    local = await startLocalServer({ dataDir: resolve(process.env.DATA_DIR ?? ".data", "db") });
    uri = withDatabaseName(local.uri, "nscl_bot");
  }
  const db = await openDatabase(uri);
  try {
    const created = await seedSampleCourses(createCoursesRepo(db), new Date());
    process.stdout.write(`Sample courses created: ${created} (existing ones are kept).\n`);
  } finally {
    await db.close();
  }
} catch (error) {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await local?.stop();
}
