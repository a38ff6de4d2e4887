/**
 * `npm run admin -- <command>`: course, export, broadcast, staff, privacy-request and ticket administration from the
 * command line, on the same database as the bot (MONGODB_URI, or the local one in DATA_DIR).
 * Notices and broadcasts it creates are delivered by the running bot (agenda jobs).
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatConfigProblems, parseConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { startLocalServer, type LocalServer } from "../db/local-server.js";
import { withDatabaseName } from "../db/uri.js";
import type { Locale } from "../engine/messages.js";
import { createRenderer } from "../i18n/renderer.js";
import { runCli } from "./cli/program.js";
import { cliContextFrom } from "./cli/context.js";
import type { OpenContext } from "./cli/types.js";
import { createServices } from "../composition/services.js";
import { systemClock } from "../shared/clock.js";
import { silentLogger } from "../shared/logger.js";
import { errorMessage } from "../shared/guards.js";

const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

if (existsSync(".env")) process.loadEnvFile(".env");

const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: process.env.TZ_NAME ?? "Asia/Ho_Chi_Minh" });

const open: OpenContext = async () => {
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    io.err(formatConfigProblems(parsed.problems));
    process.exit(2);
  }
  const config = parsed.config;
  let server: LocalServer | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    server = await startLocalServer({ dataDir: resolve(config.DATA_DIR, "db") });
    uri = withDatabaseName(server.uri, "nscl_bot");
  }
  const db = await openDatabase(uri);
  // The same services as the bot's, without channels: notices (privacy decisions, ticket answers) are queued; the running bot sends them.
  const services = createServices({ config, db, logger: silentLogger, clock: systemClock, render: (m, l) => renderer.render(m, l), senders: new Map() });
  return cliContextFrom(services, {
    db,
    timeZone: config.TZ_NAME,
    readFile: (p) => readFile(p, "utf8"),
    writeFile: (p, c) => writeFile(p, c),
    async close() {
      await services.sessions.close();
      await services.staff.stop();
      await db.close();
      await server?.stop();
    },
  });
};

try {
  const defaultLocale: Locale = process.env.DEFAULT_LOCALE === "en" ? "en" : "vi";
  process.exitCode = await runCli(process.argv.slice(2), { io, open, renderer, defaultLocale });
} catch (error) {
  io.err(`error: ${errorMessage(error)}`);
  process.exitCode = 1;
}
