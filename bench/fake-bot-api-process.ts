import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeApiConfig, FakeApiStats } from "./fake-bot-api.js";

export type { FakeApiConfig, FakeApiStats };

/** One recorded send as `GET /__sends` returns it. */
export interface FakeSend {
  id: number;
  chat: string;
  text: string;
  markup: string;
  at: number;
}

/** A running fake Bot API server in its own process, and how to talk to it. */
export interface FakeBotApi {
  /** The `apiRoot` to give telegraf (`http://127.0.0.1:PORT`). */
  readonly apiRoot: string;
  readonly port: number;
  stats(): Promise<FakeApiStats>;
  sends(chat?: string): Promise<FakeSend[]>;
  configure(patch: Partial<FakeApiConfig>): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Starts `bench/fake-bot-api.ts` in a child process on 127.0.0.1 and waits until it listens. */
export async function startFakeBotApi(options: { maxLifetimeS?: number; port?: number } = {}): Promise<FakeBotApi> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(here, "fake-bot-api.ts"), "--port", String(options.port ?? 0), "--max-lifetime-s", String(options.maxLifetimeS ?? 900)],
    { stdio: ["pipe", "pipe", "inherit"], cwd: join(here, "..") },
  );
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error("fake Bot API did not start within 20 s")), 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      done((JSON.parse(line) as { port: number }).port);
    });
    child.once("exit", (code) => fail(new Error(`fake Bot API exited early (code ${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async <T>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    return (await res.json()) as T;
  };
  return {
    apiRoot: base,
    port,
    stats: () => call<FakeApiStats>("/__stats"),
    sends: (chat) => call<FakeSend[]>(`/__sends${chat === undefined ? "" : `?chat=${encodeURIComponent(chat)}`}`),
    configure: async (patch) => void (await call("/__config", patch)),
    reset: async () => void (await call("/__reset", {})),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
