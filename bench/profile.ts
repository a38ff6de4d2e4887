/**
 * `npm run bench:profile`: one conversation run of one side with the CPU profiler on, to find
 * where the hot path spends its time (the numbers of `npm run bench` say how much, this says where):
 *   tsx bench/profile.ts [--side project|baseline] [--users 100]
 * Prints the commands the bot sent to the database per update (BENCH_COUNT_OPS) and writes the
 * `.cpuprofile` of the measured run only (no start-up, no warm-up) under bench/results/profiles/
 * (open it in Chrome DevTools or speedscope).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalServer } from "../src/db/local-server.js";
import { withDatabaseName } from "../src/db/uri.js";
import { startFakeBotApi } from "./fake-bot-api-process.js";
import { runChild } from "./child.js";
import { processCpuUs } from "./measure.js";
import type { WorkerResult } from "./conversation-worker.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const side = args.get("--side") ?? "project";
const users = args.get("--users") ?? "100";
// --profile 0: only the counts and figures (an A/B comparison without the profiler's own cost).
const profile = args.get("--profile") !== "0";
// --count 0: no command monitoring (it costs the driver some CPU of its own).
const count = args.get("--count") !== "0";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const profiles = join(root, "bench", "results", "profiles");
mkdirSync(profiles, { recursive: true });

let dataDir: string | undefined;
let server: Awaited<ReturnType<typeof startLocalServer>> | undefined;
let mongoUri = process.env.MONGODB_URI;
if (!mongoUri) {
  dataDir = mkdtempSync(join(tmpdir(), "nscl-profile-db-"));
  server = await startLocalServer({ dataDir });
  mongoUri = server.uri;
}
const api = await startFakeBotApi({ maxLifetimeS: 600 });
try {
  const uri = withDatabaseName(mongoUri, `profile_${side}_${Date.now().toString(36)}`);
  const pid = server?.pid ?? findPid(dataDir);
  const before = processCpuUs(pid);
  const out = await runChild<WorkerResult>(
    "bench/conversation-worker.ts",
    ["--side", side, "--users", users, "--first-user", "0", "--api-root", api.apiRoot, "--mongo-uri", uri],
    {
      ...(count ? { BENCH_COUNT_OPS: join(profiles, "ops.json") } : {}),
      ...(pid ? { BENCH_DB_PID: String(pid) } : {}),
      // The measured run only: start-up and warm-up are left out.
      ...(profile ? { BENCH_PROFILE_FILE: join(profiles, `${side}-${users}-${Date.now().toString(36)}.cpuprofile`) } : {}),
    },
    600_000,
  );
  console.log(JSON.stringify(out, null, 2));
  const after = processCpuUs(pid);
  if (before !== undefined && after !== undefined) console.log(`database server CPU during the run (incl. start-up): ${((after - before) / 1e6).toFixed(2)} s`);
  const opsFile = join(profiles, "ops.json");
  if (existsSync(opsFile)) console.log(readFileSync(opsFile, "utf8"));
  console.log(`profiles in ${profiles}`);
} finally {
  await api.stop();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

/** The process whose command line names `text` (the database server started on `dataDir`). */
function findPid(text: string | undefined): number | undefined {
  if (!text) return undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
