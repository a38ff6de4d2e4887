import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer, connect } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type * as MemoryServerModule from "mongodb-memory-server-core";
import { messageOf } from "./errors.js";

/**
 * A MongoDB-protocol server the bot starts for itself when `MONGODB_URI` is unset:
 * a `mongod` on PATH, else FerretDB built from the Go module proxy (SQLite backend), else
 * mongodb-memory-server's download (machines with internet only).
 */
export interface LocalServer {
  readonly uri: string;
  readonly kind: "mongod" | "ferretdb" | "memory-server";
  /** The server's process id when it runs as a child (tests stall it with SIGSTOP). */
  readonly pid?: number;
  stop(): Promise<void>;
}

/** Where and how to start the local server. */
export interface LocalServerOptions {
  /** Data directory; created if missing. Keep it across runs for `npm start`, throw it away in tests. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one is picked when omitted. */
  port?: number;
}

/** No server could be started: the message says how to set MONGODB_URI instead. */
export class NoLocalDatabaseError extends Error {
  override readonly name = "NoLocalDatabaseError";
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Starts the first server kind that works on this machine. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const problems: string[] = [];

  const mongod = which("mongod");
  if (mongod) {
    try {
      return await startProcess("mongod", mongod, ["--dbpath", options.dataDir, "--port", String(port), "--bind_ip", "127.0.0.1", "--quiet"], port);
    } catch (error) {
      problems.push(`mongod: ${messageOf(error)}`);
    }
  }

  const ferret = ferretdbBinary();
  if (ferret.ok) {
    const dir = join(options.dataDir, "ferretdb");
    mkdirSync(dir, { recursive: true });
    try {
      return await startProcess("ferretdb", ferret.path, [
        "--handler=sqlite",
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        "--state-dir=-",
        "--telemetry=disable",
        "--debug-addr=-",
        "--log-level=error",
      ], port);
    } catch (error) {
      problems.push(`FerretDB: ${messageOf(error)}`);
    }
  } else {
    problems.push(`FerretDB: ${ferret.reason}`);
  }

  try {
    return await startMemoryServer(options.dataDir, port);
  } catch (error) {
    problems.push(`mongodb-memory-server: ${messageOf(error).split("\n")[0]}`);
  }

  throw new NoLocalDatabaseError(
    "No local MongoDB-protocol server could be started:\n" +
      problems.map((p) => `  - ${p}`).join("\n") +
      "\nSet MONGODB_URI to a MongoDB 6+ server, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/nscl_bot",
  );
}

function which(command: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" });
  const path = found.stdout.trim();
  return found.status === 0 && path !== "" ? path : undefined;
}

/** Builds FerretDB once per machine (cached outside the repo) and returns its path. */
function ferretdbBinary(): { ok: true; path: string } | { ok: false; reason: string } {
  if (process.env.FERRETDB_BIN) return { ok: true, path: process.env.FERRETDB_BIN };
  if (!which("go")) return { ok: false, reason: "Go is not installed, so it cannot be built" };
  const built = spawnSync("bash", [join(projectRoot, "scripts", "build-ferretdb.sh")], {
    encoding: "utf8",
    // The script says on stderr when it builds (minutes, once per machine); the person sees that.
    stdio: ["ignore", "pipe", "inherit"],
  });
  const path = built.stdout.trim().split("\n").pop() ?? "";
  if (built.status !== 0 || path === "") return { ok: false, reason: `build failed (exit ${built.status}; see the output above)` };
  return { ok: true, path };
}

async function startProcess(kind: "mongod" | "ferretdb", bin: string, args: string[], port: number): Promise<LocalServer> {
  const child = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const ready = await Promise.race([waitForPort(port, 20_000), exited.then(() => false)]);
  if (!ready) {
    child.kill("SIGKILL");
    throw new Error(`did not start on port ${port}: ${stderr.trim().split("\n").slice(-2).join(" | ") || "no output"}`);
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, kind, ...(child.pid ? { pid: child.pid } : {}), stop: () => stopProcess(child, exited) };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // A stalled (SIGSTOPped) server must take its SIGTERM.
  child.kill("SIGCONT");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startMemoryServer(dataDir: string, port: number): Promise<LocalServer> {
  const moduleName = "mongodb-memory-server-core";
  const { MongoMemoryServer }: typeof MemoryServerModule = await import(moduleName);
  const dbPath = join(dataDir, "memory-server");
  mkdirSync(dbPath, { recursive: true });
  const server = await MongoMemoryServer.create({ instance: { port, ip: "127.0.0.1", dbPath, storageEngine: "wiredTiger" } });
  return { uri: server.getUri(), kind: "memory-server", stop: async () => void (await server.stop({ doCleanup: false })) };
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Resolves true once something accepts TCP connections on the port, false after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (open) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
