/**
 * `npm run db`: starts the local MongoDB-protocol server in the foreground and prints its
 * MONGODB_URI, so people can inspect data or run several bot processes against one database.
 */
import { resolve } from "node:path";
import { startLocalServer } from "./local-server.js";
import { messageOf } from "./errors.js";
import { withDatabaseName } from "./uri.js";

const port = Number(process.env.DB_PORT ?? 27027);
const dataDir = resolve(process.env.DATA_DIR ?? ".data", "db");
try {
  const server = await startLocalServer({ dataDir, port });
  process.stdout.write(`Local database (${server.kind}) is running. Data: ${dataDir}\nMONGODB_URI=${withDatabaseName(server.uri, "nscl_bot")}\nPress Ctrl+C to stop.\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  process.stderr.write(`${messageOf(error)}\n`);
  process.exit(1);
}
