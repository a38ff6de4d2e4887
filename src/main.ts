/**
 * Entry point: reads the configuration, provides a database (a local one when MONGODB_URI is
 * unset), starts the app, and shuts down cleanly on SIGTERM/SIGINT or at the end of the local chat's input.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatConfigProblems, parseConfig, type Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { redactUri } from "./db/errors.js";
import { isDatabaseOutage } from "./db/classify-error.js";
import { startLocalServer, type LocalServer } from "./db/local-server.js";
import { withDatabaseName } from "./db/uri.js";
import { createLogger } from "./log.js";
import type { Logger } from "./shared/logger.js";
import { createApp, localChatWanted, type App } from "./app.js";
import { errorFields } from "./shared/error-fields.js";

/** Exit codes: 0 normal, 1 bad configuration, 2 database unreachable, 3 other start-up failure. */
async function main(): Promise<number> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const parsed = parseConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${formatConfigProblems(parsed.problems)}\n`);
    return 1;
  }
  const config = parsed.config;
  const chatHere = localChatWanted(config);
  // The local chat owns stdout; logs go to a file there so they never mix into the chat.
  const logger = createLogger({ level: config.LOG_LEVEL, file: config.LOG_FILE ?? (chatHere ? join(config.DATA_DIR, "bot.log") : undefined) });

  let local: LocalServer | undefined;
  let db: Database | undefined;
  let app: App | undefined;
  const stopAll = async () => {
    await app?.stop().catch((e: unknown) => logger.error(errorFields(e), "stop failed"));
    await db?.close().catch(() => undefined);
    await local?.stop().catch(() => undefined);
    logger.flush();
  };

  try {
    const uri = await databaseUri(config, logger, (server) => (local = server));
    db = await openDatabase(uri, { serverSelectionTimeoutMS: 7_000, operationTimeoutMS: config.DB_TIMEOUT_MS, defaultLocale: config.DEFAULT_LOCALE });
    app = await createApp({ config, db, logger, localChat: chatHere ? { input: process.stdin, output: process.stdout } : undefined });
    await app.start();
    // The local default: the local chat and, beside it, the same bot in the browser (a channel's page).
    for (const channel of app.channels.values()) {
      if (!channel.page || app.httpPort === undefined) continue;
      const url = `http://localhost:${app.httpPort}${channel.page}`;
      process.stdout.write(`Open in a browser: ${url}\n\n`);
      logger.info({ channel: channel.name, url }, "chat page served");
    }
  } catch (error) {
    process.stderr.write(`${startupMessage(error, config)}\n`);
    await stopAll();
    return isDatabaseOutage(error) ? 2 : 3;
  }

  const stopped = new Promise<number>((done) => {
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down");
      void stopAll().then(() => done(0));
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    void app?.localChatDone?.then(() => shutdown("end of input"));
  });
  return stopped;
}

/** MONGODB_URI, or a local server started for this process (data kept in DATA_DIR). */
async function databaseUri(config: Config, logger: Logger, started: (s: LocalServer) => void): Promise<string> {
  if (config.MONGODB_URI) return config.MONGODB_URI;
  const server = await startLocalServer({
    dataDir: resolve(config.DATA_DIR, "db"),
  });
  started(server);
  logger.info({ kind: server.kind }, "local database started");
  return withDatabaseName(server.uri, "nscl_bot");
}

function startupMessage(error: unknown, config: Config): string {
  if (isDatabaseOutage(error)) {
    const where = config.MONGODB_URI ? redactUri(config.MONGODB_URI) : "the local database";
    return `Cannot reach the database at ${where}. Check that the server is running and MONGODB_URI is right (e.g. mongodb://127.0.0.1:27017/nscl_bot).`;
  }
  if (error instanceof Error && error.name === "NoLocalDatabaseError") return error.message;
  return `The bot could not start: ${errorSummary(error)}`;
}

function errorSummary(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

process.exitCode = await main();
// Open handles (drivers, timers) must not keep a finished process alive.
setTimeout(() => process.exit(), 200).unref();
