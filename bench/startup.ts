/**
 * Start-up benchmark: process start → `GET /readyz` answers 200 (database reachable, channels
 * started), with the database server already running (the one-time FerretDB build excluded).
 *   tsx bench/startup.ts --api-root http://127.0.0.1:PORT --mongo-uri mongodb://…
 * Uses the production entry `node dist/main.js` (built with `npm run build` first); falls back
 * to `tsx src/main.ts` when the build produced nothing. Prints `BENCH_RESULT {json}`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { freePort } from "../src/db/local-server.js";
import { percentile } from "./window.js";

/** What the start-up benchmark measured. */
export interface StartupResult {
  command: string;
  samplesMs: number[];
  medianMs: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Starts the bot once and returns ms until /readyz answered 200 (then stops it with SIGTERM). */
export async function measureStartup(options: { command: string[]; env: Record<string, string>; timeoutMs?: number }): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(options.command[0]!, options.command.slice(1), {
    cwd: root,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-3000)));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const deadline = started + (options.timeoutMs ?? 30_000);
  let readyAt: number | undefined;
  while (performance.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) {
      readyAt = performance.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  if (readyAt === undefined) throw new Error(`not ready: ${stderr.trim().split("\n").slice(-4).join(" | ") || "no output"}`);
  return Math.round(readyAt - started);
}

async function main(): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
  const build = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, encoding: "utf8" });
  const dist = join(root, "dist", "main.js");
  const useDist = existsSync(dist);
  if (build.status !== 0) process.stderr.write(`startup: npm run build reported errors (continuing with what was emitted)\n`);
  const command = useDist ? [process.execPath, dist] : [process.execPath, "--import", "tsx", join(root, "src", "main.ts")];
  const env = {
    MONGODB_URI: args.get("--mongo-uri") ?? "",
    TELEGRAM_BOT_TOKEN: "123456:BENCHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    TELEGRAM_API_ROOT: args.get("--api-root") ?? "",
    TERMINAL: "off",
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
  };
  // One untimed start creates the indexes, as the first deployment would.
  await measureStartup({ command, env });
  const samples: number[] = [];
  for (let i = 0; i < 5; i += 1) samples.push(await measureStartup({ command, env }));
  const result: StartupResult = { command: useDist ? "node dist/main.js" : "tsx src/main.ts", samplesMs: samples, medianMs: percentile(samples, 50) };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
