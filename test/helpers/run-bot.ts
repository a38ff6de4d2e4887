import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** What a finished bot process printed. */
export interface BotRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const root = resolve(import.meta.dirname, "..", "..");

/**
 * Runs `src/main.ts` as a real process (as `npm start` does) with the given stdin and env, and
 * waits for it to exit (killed after `timeoutMs`, which the result then shows as code null).
 */
export function runBot(input: string, env: Record<string, string>, timeoutMs = 60_000): Promise<BotRun> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: mkdtempSync(join(tmpdir(), "nscl-bot-run-")),
      LOG_LEVEL: "info",
      // The web chat's HTTP server: any free port, loopback only (tests run side by side).
      PORT: "0",
      HOST: "127.0.0.1",
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((done) => {
    child.once("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
