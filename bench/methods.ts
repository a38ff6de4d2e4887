/**
 * `tsx bench/methods.ts [--users 50]`: the Bot API calls each side makes for the same
 * conversations (per method, per update), to compare the HTTP work the two sides do.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalServer } from "../src/db/local-server.js";
import { withDatabaseName } from "../src/db/uri.js";
import { runChild } from "./child.js";
import type { WorkerResult } from "./conversation-worker.js";
import { startFakeBotApi } from "./fake-bot-api-process.js";

const users = process.argv[process.argv.indexOf("--users") + 1] ?? "50";
const dataDir = mkdtempSync(join(tmpdir(), "nscl-methods-db-"));
const server = process.env.MONGODB_URI ? undefined : await startLocalServer({ dataDir });
const api = await startFakeBotApi({ maxLifetimeS: 600 });
try {
  for (const side of ["baseline", "project"]) {
    await api.reset();
    const uri = withDatabaseName(process.env.MONGODB_URI ?? server?.uri ?? "", `methods_${side}_${Date.now().toString(36)}`);
    const out = await runChild<WorkerResult>("bench/conversation-worker.ts", ["--side", side, "--users", users, "--first-user", "0", "--api-root", api.apiRoot, "--mongo-uri", uri], {}, 600_000);
    if (!out.ok) throw new Error(out.error);
    const { methods } = await api.stats();
    const { updates } = out.value;
    const perUpdate = Object.entries(methods).map(([m, n]) => `${m} ${(n / updates).toFixed(2)}`);
    console.log(`${side}: ${updates} updates; calls per update: ${perUpdate.join(", ")}`);
  }
} finally {
  await api.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
