/**
 * `npm run admin -- <command>`: course, export, broadcast and staff administration from the
 * command line, on the same database as the bot (MONGODB_URI, or the local one in DATA_DIR).
 * Notices and broadcasts it creates are delivered by the running bot (agenda jobs).
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatConfigProblems, parseConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { startLocalServer, type LocalServer } from "../db/local-server.js";
import { withDatabaseName } from "../db/uri.js";
import type { ChannelName, Sender } from "../engine/messages.js";
import { runCli, type CliContext } from "./cli-commands.js";
import { privacyContext, runPrivacyCli } from "./privacy-cli.js";
import type { Database } from "../db/database.js";
import type { JobQueue } from "../jobs/job-queue.js";
import { createStaffModule } from "./staff-module.js";
import { runUnderstandingCli, UNDERSTANDING_GROUPS } from "./understanding-cli.js";

const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };

async function open(): Promise<CliContext & { db: Database; queue: JobQueue; close(): Promise<void> }> {
  if (existsSync(".env")) process.loadEnvFile(".env");
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
  const staff = createStaffModule({
    db,
    staffIds: config.STAFF_IDS,
    // The CLI has no channel: it only writes; the running bot sends.
    senders: new Map<ChannelName, Sender>(),
    notifier: { notify: async () => ({ ok: false, kind: "unreachable", code: "cli_has_no_channel" }) },
    timeZone: config.TZ_NAME,
    reminderOffsetsHours: config.REMINDER_OFFSETS_HOURS,
    ratePerSec: { telegram: config.TELEGRAM_RATE_PER_SEC, zalo: config.ZALO_RATE_PER_SEC },
  });
  return {
    courses: staff.courses,
    broadcasts: staff.broadcasts,
    access: staff.access,
    timeZone: config.TZ_NAME,
    db,
    queue: staff.queue,
    readFile: (p) => readFile(p, "utf8"),
    writeFile: (p, c) => writeFile(p, c),
    async close() {
      await staff.stop();
      await db.close();
      await server?.stop();
    },
  };
}

try {
  // `privacy …` (data-subject requests, representation decisions) and `phrases`/`tickets`: their own modules.
  const group = process.argv[2] ?? "";
  if (group === "privacy") {
    process.exitCode = await runPrivacyCli(process.argv.slice(3), io, async () => { const c = await open(); return privacyContext(c, c.timeZone); });
  } else if (UNDERSTANDING_GROUPS.includes(group)) {
    process.exitCode = await runUnderstandingCli(process.argv.slice(2), io);
  } else {
    process.exitCode = await runCli(process.argv.slice(2), io, open);
  }
} catch (error) {
  io.err(`error: ${(error as Error).message}`);
  process.exitCode = 1;
}
