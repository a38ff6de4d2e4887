/**
 * One conversation benchmark run in its own process (so peak RSS belongs to one side only):
 *   tsx bench/conversation-worker.ts --side baseline|project --users N --first-user K
 *       --api-root http://127.0.0.1:PORT --mongo-uri mongodb://…
 * Prints one line `BENCH_RESULT {json}` on stdout.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { startCpuMeter, summarise } from "./measure.js";
import { expectedFor, runConversations, userIdFor } from "./driver.js";
import type { Side, StoredRecord } from "./side.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const sideName = args.get("--side");
const users = Number(args.get("--users") ?? 1);
const firstUser = Number(args.get("--first-user") ?? 0);
const apiRoot = args.get("--api-root") ?? "";
const mongoUri = args.get("--mongo-uri") ?? "";

/** The summary a worker prints. */
export interface WorkerResult {
  side: string;
  users: number;
  updates: number;
  durationMs: number;
  updatesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time this process used per update during the run (µs; less sensitive to a busy machine than updates/s). */
  cpuUsPerUpdate: number;
  /** CPU time the database server used per update during the run (µs), when its pid is known (BENCH_DB_PID). */
  dbCpuUsPerUpdate?: number;
  /** Peak resident set size of this process during the run (MB), taken before the check. */
  peakRssMb: number;
  check: { ok: boolean; problems: string[] };
}

async function loadSide(name: string | undefined): Promise<Side> {
  if (name === "baseline") return (await import("./baseline/side.js")).baselineSide;
  if (name === "project") return (await import("./project-side.js")).projectSide;
  throw new Error(`unknown --side ${name}`);
}

function compare(expected: ReturnType<typeof expectedFor>, got: StoredRecord | undefined): string | null {
  if (!got) return `user ${expected.userId}: no record stored`;
  for (const key of Object.keys(expected) as (keyof StoredRecord)[]) {
    if (expected[key] !== got[key]) return `user ${expected.userId}: ${key} stored differently than typed`;
  }
  return null;
}

const side = await loadSide(sideName);
const running = await side.start({ token: "123456:BENCH-token-not-real", apiRoot, mongoUri });
// Warm-up is part of neither side's numbers: throw-away users far outside the range (one by
// default; BENCH_WARMUP_USERS=K for K, to tell JIT warm-up from steady-state cost).
const warmupUsers = Math.max(1, Number(process.env.BENCH_WARMUP_USERS ?? 1));
await runConversations({ users: warmupUsers, firstUser: 9_000_000 + firstUser, choices: side.choices, handleUpdate: running.handleUpdate });
// BENCH_PROFILE_FILE=<path>: a CPU profile of the measured run only (no start-up, no warm-up).
const profileFile = process.env.BENCH_PROFILE_FILE;
const profiler = profileFile ? await startProfile() : undefined;
const meter = startCpuMeter();
const result = await runConversations({ users, firstUser, choices: side.choices, handleUpdate: running.handleUpdate });
const { cpuUs, dbCpuUs } = meter.stop();
if (profiler && profileFile) writeFileSync(profileFile, JSON.stringify(await profiler.stop()));
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const problems = result.failures.slice(0, 5).map((f) => `user ${f.userId} step ${f.step}: ${f.reason}`);
if (result.failures.length > 5) problems.push(`… and ${result.failures.length - 5} more failed users`);
const ids = Array.from({ length: users }, (_, k) => String(userIdFor(firstUser + k)));
const stored = await running.records(ids);
const byUser = new Map<string, StoredRecord[]>();
for (const r of stored) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r]);
if (stored.length !== users) problems.push(`records stored: ${stored.length}, users: ${users}`);
let mismatches = 0;
for (let k = 0; k < users; k += 1) {
  const expected = expectedFor(firstUser + k);
  const records = byUser.get(expected.userId);
  const problem = (records?.length ?? 0) > 1 ? `user ${expected.userId}: ${records?.length} records` : compare(expected, records?.[0]);
  if (problem) {
    mismatches += 1;
    if (mismatches <= 5) problems.push(problem);
  }
}
if (mismatches > 5) problems.push(`… ${mismatches} users with a wrong or missing record`);
await running.close();

const out = summarise({ side: side.name, users, updates: result.updates, durationMs: result.durationMs, latenciesMs: result.latenciesMs, cpuUs, dbCpuUs, peakRssMb, problems });
process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
process.exit(0);

/** Starts the V8 CPU profiler in this process; `stop()` returns the profile (`.cpuprofile` JSON). */
async function startProfile(): Promise<{ stop(): Promise<unknown> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      return profile;
    },
  };
}
