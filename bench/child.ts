/** Runs bench entries in child processes (each side's memory is its own). */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs a TypeScript entry under tsx in a child process; resolves with the `BENCH_RESULT` JSON. */
export function runChild<T>(script: string, args: string[], env: Record<string, string> = {}, timeoutMs = 600_000, nodeArgs: string[] = []): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", join(root, script), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let found: T | undefined;
    let stderr = "";
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("BENCH_RESULT ")) found = JSON.parse(line.slice("BENCH_RESULT ".length)) as T;
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (found !== undefined) done({ ok: true, value: found });
      else done({ ok: false, error: `exit ${code ?? signal}: ${stderr.trim().split("\n").slice(-6).join(" | ")}` });
    });
  });
}
