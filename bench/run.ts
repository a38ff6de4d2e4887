/**
 * `npm run bench`: one command, one run. Starts a real database server (FerretDB unless
 * MONGODB_URI is set) and the fake Bot API in their own processes, runs each benchmark in its
 * own child process, prints a summary table with project/baseline ratios and the goals, and
 * writes JSON to `bench/results/<timestamp>.json`. BENCH_QUICK=1 runs smaller sizes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalServer, type LocalServer } from "../src/db/local-server.js";
import { withDatabaseName } from "../src/db/uri.js";
import { runChild } from "./child.js";
import { startFakeBotApi, type FakeApiStats, type FakeBotApi } from "./fake-bot-api-process.js";
import type { WorkerResult } from "./conversation-worker.js";
import type { BroadcastResult } from "./broadcast-worker.js";
import type { StartupResult } from "./startup.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.env.BENCH_QUICK === "1";
const sizes = quick ? [1, 100, 500] : [1, 100, 2000];
const big = sizes[sizes.length - 1]!;
/** Wall-clock budget of one conversation run; a run over it is reported as not finished. */
const runBudgetS = Number(process.env.BENCH_RUN_TIMEOUT_S ?? 420);

/** A conversation run with the fake server's view of it. */
interface ConversationRun {
  side: "baseline" | "project";
  users: number;
  ok: boolean;
  problems: string[];
  result?: WorkerResult;
  fake?: Pick<FakeApiStats, "accepted" | "duplicates" | "consecutiveDuplicates">;
}

async function conversation(side: "baseline" | "project", users: number, firstUser: number, api: FakeBotApi, mongoUri: string, dbPid: number | undefined): Promise<ConversationRun> {
  await api.reset();
  const uri = withDatabaseName(mongoUri, `bench_${side}_${users}_${Date.now().toString(36)}`);
  const started = Date.now();
  const outcome = await runChild<WorkerResult>("bench/conversation-worker.ts", ["--side", side, "--users", String(users), "--first-user", String(firstUser), "--api-root", api.apiRoot, "--mongo-uri", uri], dbPid ? { BENCH_DB_PID: String(dbPid) } : {}, runBudgetS * 1000);
  if (!outcome.ok) {
    const late = Date.now() - started >= runBudgetS * 1000;
    return { side, users, ok: false, problems: [late ? `did not finish within ${runBudgetS} s (BENCH_RUN_TIMEOUT_S); ${(await api.stats()).accepted} messages had been sent` : outcome.error] };
  }
  const stats = await api.stats();
  const problems = [...outcome.value.check.problems];
  if (stats.consecutiveDuplicates > 0) problems.push(`${stats.consecutiveDuplicates} duplicate sends (same text and keyboard twice in a row to one chat)`);
  return {
    side,
    users,
    ok: problems.length === 0,
    problems,
    result: outcome.value,
    fake: { accepted: stats.accepted, duplicates: stats.duplicates, consecutiveDuplicates: stats.consecutiveDuplicates },
  };
}

function pad(value: unknown, width: number): string {
  const text = String(value);
  return text.length >= width ? text : " ".repeat(width - text.length) + text;
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : Math.round((a / b) * 100) / 100;
}

async function main(): Promise<void> {
  const started = Date.now();
  let server: LocalServer | undefined;
  let dataDir: string | undefined;
  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri) {
    dataDir = mkdtempSync(join(tmpdir(), "nscl-bench-db-"));
    server = await startLocalServer({ dataDir });
    mongoUri = server.uri;
  }
  const api = await startFakeBotApi({ maxLifetimeS: 1800 });
  const conversations: ConversationRun[] = [];
  let broadcasts: BroadcastResult[] = [];
  let broadcastError: string | undefined;
  let startup: StartupResult | undefined;
  let startupError: string | undefined;
  try {
    let firstUser = 0;
    for (const users of sizes) {
      for (const side of ["baseline", "project"] as const) {
        process.stderr.write(`bench: conversations, ${side}, N=${users}…\n`);
        conversations.push(await conversation(side, users, firstUser, api, mongoUri, server?.pid));
        firstUser += users;
      }
    }

    process.stderr.write("bench: broadcast…\n");
    await api.reset();
    const b = await runChild<BroadcastResult[]>("bench/broadcast-worker.ts", ["--api-root", api.apiRoot, "--fake-port", String(api.port), "--mongo-uri", withDatabaseName(mongoUri, `bench_broadcast_${Date.now().toString(36)}`), ...(quick ? ["--quick", "1"] : [])]);
    if (b.ok) broadcasts = b.value;
    else broadcastError = b.error;

    process.stderr.write("bench: start-up…\n");
    const s = await runChild<StartupResult>("bench/startup.ts", ["--api-root", api.apiRoot, "--mongo-uri", withDatabaseName(mongoUri, `bench_startup_${Date.now().toString(36)}`)]);
    if (s.ok) startup = s.value;
    else startupError = s.error;
  } finally {
    await api.stop();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  // ---- summary ----
  const lines: string[] = [];
  const say = (line = "") => lines.push(line);
  const database = process.env.MONGODB_URI ? "MONGODB_URI" : `${server?.kind ?? "?"}${process.env.FERRETDB_BIN ? ` (FERRETDB_BIN=${process.env.FERRETDB_BIN})` : ""}`;
  say(`NSCL bot benchmark — ${new Date().toISOString()} — nproc ${availableParallelism()} (${cpus()[0]?.model ?? "?"}), node ${process.version}, database ${database}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}${quick ? " — QUICK mode" : ""}`);
  say();
  say("Conversations (enterprise registration, one wrong tax code first; latency = handleUpdate → handled)");
  say(`${pad("side", 9)} ${pad("N", 5)} ${pad("updates", 8)} ${pad("upd/s", 8)} ${pad("p50 ms", 8)} ${pad("p95 ms", 8)} ${pad("p99 ms", 8)} ${pad("RSS MB", 7)} ${pad("cpu µs/u", 9)} ${pad("db µs/u", 8)}  check`);
  for (const c of conversations) {
    const r = c.result;
    if (c.ok && r) {
      say(`${pad(c.side, 9)} ${pad(c.users, 5)} ${pad(r.updates, 8)} ${pad(r.updatesPerSecond, 8)} ${pad(r.p50Ms, 8)} ${pad(r.p95Ms, 8)} ${pad(r.p99Ms, 8)} ${pad(r.peakRssMb, 7)} ${pad(r.cpuUsPerUpdate, 9)} ${pad(r.dbCpuUsPerUpdate ?? "n/a", 8)}  ok (records = users, fields as typed, no duplicate sends)`);
    } else {
      say(`${pad(c.side, 9)} ${pad(c.users, 5)}  FAILED: ${c.problems.join("; ")}`);
    }
  }
  const find = (side: string, users: number) => conversations.find((c) => c.side === side && c.users === users && c.ok)?.result;
  say();
  say("Ratios project / baseline");
  const ratios: Record<string, { throughput: number | null; p99: number | null; rss: number | null; cpu: number | null }> = {};
  // CPU per update (bot process + database server) depends less on what else runs on the machine than updates/s.
  const cpuOf = (r: WorkerResult | undefined) => (r?.dbCpuUsPerUpdate === undefined ? undefined : r.cpuUsPerUpdate + r.dbCpuUsPerUpdate);
  for (const users of sizes) {
    const p = find("project", users);
    const b = find("baseline", users);
    ratios[String(users)] = { throughput: ratio(p?.updatesPerSecond, b?.updatesPerSecond), p99: ratio(p?.p99Ms, b?.p99Ms), rss: ratio(p?.peakRssMb, b?.peakRssMb), cpu: ratio(cpuOf(p), cpuOf(b)) };
    const r = ratios[String(users)]!;
    say(`  N=${pad(users, 4)}: throughput ${r.throughput ?? "n/a"}x, p99 ${r.p99 ?? "n/a"}x, peak RSS ${r.rss ?? "n/a"}x, CPU per update (bot + database) ${r.cpu ?? "n/a"}x`);
  }

  say();
  say("Broadcast (real broadcast path → fake Bot API)");
  if (broadcastError) say(`  FAILED: ${broadcastError}`);
  for (const b of broadcasts) {
    if (!b.ok) say(`  ${b.label}: FAILED: ${b.problems.join("; ")}`);
    else
      say(`  ${b.label}: ${b.recipients} recipients in ${(b.durationMs / 1000).toFixed(1)} s, overall ${b.achievedPerSecond}/s = ${b.achievedRatio}x limit (the goal's number), send phase ${b.sendPhasePerSecond}/s = ${b.sendPhaseRatio}x then a retry tail of ${(b.tailMs / 1000).toFixed(2)} s, max accepted in 1 s ${b.maxPerSecond} (limit ${b.limit}; attempts incl. 429s ${b.maxAttemptsPerSecond}), 429s ${b.rejected429}, duplicates ${b.duplicates}, losses ${b.losses}`);
    if (b.rejected429 > 0) say(`    (a 429 asks to wait 1 s, so the retries of the last 429s land >= 1 s after the send phase, 2 s when one of them is refused again: overall <= N/(N/limit + 1 s) = ${(b.recipients / (b.recipients + b.limit)).toFixed(3)}x here)`);
  }

  say();
  if (startup) say(`Start-up (process start → /readyz 200, database already built): median ${startup.medianMs} ms over ${startup.samplesMs.length} (${startup.samplesMs.join(", ")} ms) via ${startup.command}`);
  else say(`Start-up: FAILED: ${startupError}`);

  const goals: { goal: string; value: string; pass: boolean | null }[] = [];
  const r100 = ratios["100"];
  const rBig = ratios[String(big)];
  goals.push({ goal: "throughput at N=100 >= 0.7x baseline", value: `${r100?.throughput ?? "n/a"}x`, pass: r100?.throughput == null ? null : r100.throughput >= 0.7 });
  goals.push({ goal: "p99 at N=100 <= 1.5x baseline", value: `${r100?.p99 ?? "n/a"}x`, pass: r100?.p99 == null ? null : r100.p99 <= 1.5 });
  goals.push({ goal: `peak RSS at N=${big} <= baseline`, value: `${rBig?.rss ?? "n/a"}x`, pass: rBig?.rss == null ? null : rBig.rss <= 1 });
  for (const b of broadcasts) {
    goals.push({ goal: `broadcast ${b.label}: >= 95% of limit, no 1-s window above it, 0 duplicates, 0 losses`, value: b.ok ? `${b.achievedRatio}x (send phase ${b.sendPhaseRatio}x), max accepted ${b.maxPerSecond}/${b.limit}, dup ${b.duplicates}, lost ${b.losses}` : "failed", pass: b.ok && b.achievedRatio >= 0.95 && b.maxPerSecond <= b.limit && b.duplicates === 0 && b.losses === 0 });
  }
  if (broadcasts.length === 0) goals.push({ goal: "broadcast at the limit", value: "not run", pass: null });
  goals.push({ goal: "start-up <= 2 s", value: startup ? `${startup.medianMs} ms` : "failed", pass: startup ? startup.medianMs <= 2000 : null });
  say();
  say("Goals");
  for (const g of goals) say(`  ${g.pass === null ? "N/A " : g.pass ? "PASS" : "MISS"}  ${g.goal}: ${g.value}`);
  const failedChecks = conversations.filter((c) => !c.ok).length + broadcasts.filter((b) => !b.ok).length;
  say();
  say(`Correctness checks: ${failedChecks === 0 ? "all passed" : `${failedChecks} FAILED (their numbers are not reported)`}. Total bench time ${((Date.now() - started) / 1000).toFixed(0)} s.`);

  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const dir = join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), quick, machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model, node: process.version, platform: process.platform, loadAverage: loadavg() }, database, conversations, ratios, broadcasts, broadcastError, startup, startupError, goals }, null, 2)}\n`);
  say(`Results: ${file}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  process.exitCode = failedChecks === 0 ? 0 : 1;
}

await main();
