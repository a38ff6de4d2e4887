/**
 * Retention soak: SOAK_UPDATES updates (default 20,000, the "10 minutes at 66/s") from
 * SOAK_USERS users go through the real webhook path (HTTP → inbox → bot → session revisions),
 * then the database size is measured (dbStats and the data directory on disk), a maintenance
 * pass runs as of 25 hours later (retention rules + session folding), and it is measured again.
 * Run: `npx tsx bench/soak-retention.ts` (prints one JSON line; counts bound it, not time).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { textUpdate } from "./driver.js";
import { startFakeBotApi } from "./fake-bot-api-process.js";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { freePort, startLocalServer } from "../src/db/local-server.js";
import { pruneExpired } from "../src/db/retention.js";
import { pruneSessionRevisions, PRUNE_AGE_MS } from "../src/db/session-store.js";
import { withDatabaseName } from "../src/db/uri.js";
import { createLogger } from "../src/log.js";

const UPDATES = Number(process.env.SOAK_UPDATES ?? 20_000);
const USERS = Number(process.env.SOAK_USERS ?? 200);
const AT_ONCE = 32;
const SECRET = "soak-secret-0123456789";
const TEXTS = ["/start", "/policies", "doanh nghiep nao duoc ho tro", "/help", "xin chao", "/menu"];

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

const dataDir = mkdtempSync(join(tmpdir(), "nscl-soak-db-"));
const server = await startLocalServer({ dataDir, port: await freePort() });
const fake = await startFakeBotApi({ maxLifetimeS: 1_800 });
const uri = withDatabaseName(server.uri, "soak");
const parsed = parseConfig({
  MONGODB_URI: uri, TELEGRAM_BOT_TOKEN: "987654:SOAKtokenNOTreal0123456789abcdefghij", TELEGRAM_API_ROOT: fake.apiRoot,
  TELEGRAM_WEBHOOK_URL: "https://bot.example.invalid/webhooks/telegram", TELEGRAM_WEBHOOK_SECRET: SECRET,
  TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn",
  // The fake platform has no rate limit: at Telegram's 30 messages/s the send budget, not the
  // database, would set the pace (the backlog fills and the webhook answers 503).
  TELEGRAM_RATE_PER_SEC: "100000",
});
if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.variable} ${p.message}`).join("; "));
const db = await openDatabase(uri);
const app = await createApp({ config: parsed.config, db, logger: createLogger({ level: "warn", file: join(dataDir, "..", `soak-${process.pid}.log`) }) });
await app.start();
const url = `http://127.0.0.1:${app.httpPort}/webhooks/telegram`;

const started = performance.now();
let next = 0;
// A refused delivery (503: backlog full) is delivered again after a pause, as a platform does,
// up to DELIVERIES times; `refused` counts the updates still refused after the last.
const DELIVERIES = 100;
let redelivered = 0;
let refused = 0;
await Promise.all(
  Array.from({ length: AT_ONCE }, async () => {
    for (let i = next++; i < UPDATES; i = next++) {
      const body = JSON.stringify(textUpdate(i % USERS, TEXTS[i % TEXTS.length]!));
      for (let attempt = 1; attempt <= DELIVERIES; attempt++) {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body });
        if (res.status === 200) break;
        if (attempt === DELIVERIES) refused++;
        else redelivered++;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }),
);
// Wait (bounded by count) until the inbox has every update handled.
const { inbox, inboxDone } = db.models;
for (let check = 0; check < 600 && (await inbox.countDocuments()) > (await inboxDone.countDocuments()); check++) await new Promise((r) => setTimeout(r, 500));
const seconds = (performance.now() - started) / 1000;
await app.stop();

const native = db.connection.db!;
const measure = async () => {
  const stats = await native.stats();
  const counts: Record<string, number> = {};
  for (const c of await native.listCollections().toArray()) counts[c.name] = await native.collection(c.name).countDocuments();
  return { dataSize: Number(stats.dataSize), storageSize: Number(stats.storageSize), onDisk: dirBytes(dataDir), counts };
};
const afterSoak = await measure();
const later = new Date(Date.now() + 25 * 3_600_000);
const pruneStarted = performance.now();
const pruned = await pruneExpired(db, later);
const sessions = await pruneSessionRevisions(db, new Date(later.getTime() - PRUNE_AGE_MS));
const pruneSeconds = (performance.now() - pruneStarted) / 1000;
const afterPrune = await measure();
console.log(JSON.stringify({ updates: UPDATES, users: USERS, redelivered, refused, seconds: Math.round(seconds), perSecond: Math.round(UPDATES / seconds), afterSoak, pruned, sessions, pruneSeconds, afterPrune }));
await db.close();
await fake.stop();
await server.stop();
rmSync(dataDir, { recursive: true, force: true });
