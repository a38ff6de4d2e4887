/**
 * `npm run admin -- phrases unrecognised [--days N]` and `npm run admin -- tickets list|close N`:
 * what the bot did not understand (scrubbed, with counts) and the questions handed over to staff.
 * Self-contained (its own commands and database opening), hooked into src/admin/cli.ts by one line.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { formatConfigProblems, parseConfig } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";
import { startLocalServer } from "../db/local-server.js";
import { createPhrasesRepo } from "../db/phrases-repo.js";
import { createTicketsRepo } from "../db/tickets-repo.js";
import { withDatabaseName } from "../db/uri.js";

/** The command groups this module answers. */
export const UNDERSTANDING_GROUPS: readonly string[] = ["phrases", "tickets"];

/** Output lines and error lines. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = ["usage:", "  phrases unrecognised [--days N]   phrases the bot did not understand, most frequent first (default: 30 days)", "  tickets list                      questions handed over to staff, not closed", "  tickets close N                   close ticket N"];

/** Runs one command on an open database; returns the exit code. */
export async function runUnderstandingCommand(argv: readonly string[], io: Io, db: Database, now = new Date()): Promise<number> {
  const [group, action, arg, value] = argv;
  if (group === "phrases" && action === "unrecognised") {
    const days = arg === "--days" ? Number(value) : 30;
    if (!Number.isInteger(days) || days <= 0) return (io.err("--days must be a whole number of days, e.g. --days 7"), 2);
    const rows = await createPhrasesRepo(db).recent(new Date(now.getTime() - days * 86_400_000));
    if (rows.length === 0) io.out(`no unrecognised phrases in the last ${days} day(s)`);
    for (const r of rows) io.out(`${String(r.count).padStart(5)}  ${r.text}`);
    return 0;
  }
  if (group === "tickets" && action === "list") {
    const rows = await createTicketsRepo(db).listOpen(200);
    if (rows.length === 0) io.out("no open tickets");
    for (const t of rows) io.out(`#${t._id}  ${t.status.padEnd(8)}  ${t.channel.padEnd(8)}  ${t.createdAt.toISOString()}  ${t.question.replace(/\s+/g, " ").slice(0, 100)}`);
    return 0;
  }
  if (group === "tickets" && action === "close") {
    const n = Number(arg);
    if (!Number.isInteger(n) || n <= 0) return (io.err("usage: tickets close N"), 2);
    const closed = await createTicketsRepo(db).close(n, now);
    io.out(closed ? `ticket #${n} closed` : `ticket #${n} not found or already closed`);
    return closed ? 0 : 1;
  }
  for (const l of USAGE) io.err(l);
  return 2;
}

/** Opens the configured database (or the local one), runs the command, closes. */
export async function runUnderstandingCli(argv: readonly string[], io: Io): Promise<number> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const parsed = parseConfig(process.env);
  if (!parsed.ok) return (io.err(formatConfigProblems(parsed.problems)), 2);
  const server = parsed.config.MONGODB_URI ? undefined : await startLocalServer({ dataDir: resolve(parsed.config.DATA_DIR, "db") });
  const uri = parsed.config.MONGODB_URI ?? withDatabaseName(server!.uri, "nscl_bot");
  const db = await openDatabase(uri);
  try {
    return await runUnderstandingCommand(argv, io, db);
  } finally {
    await db.close();
    await server?.stop();
  }
}
