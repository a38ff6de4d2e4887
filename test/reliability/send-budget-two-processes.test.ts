/**
 * Issue #11 item 3 with two real bot processes on one database: the bot account's send rate
 * holds for both together. 40 users chat, half through each process; the fake platform records
 * when each message arrived; no 1-second window may hold more than the rate.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { maxInWindow } from "../jobs/virtual-clock.js";
import { removeTemporaryFiles, startChildBot, startFake, startOwnDatabase, TelegramUser, WEBHOOK_SECRET, type ChildBot, type OwnDatabase } from "./harness.js";

const RATE = 10;

/** POSTs one update to a process's webhook (no waiting for it to be handled). */
async function postRaw(bot: ChildBot, update: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${bot.port}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
}
let server: OwnDatabase;
let fake: FakeBotApi;
let a: ChildBot;
let b: ChildBot;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  const uri = withDatabaseName(server.uri, "budget2");
  const extra = { TELEGRAM_RATE_PER_SEC: String(RATE) };
  a = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra });
  b = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra });
});

afterAll(async () => {
  await Promise.all([a?.kill("SIGTERM"), b?.kill("SIGTERM")]);
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

describe("one send budget across two processes", () => {
  it("40 users chatting through two processes: never more than the rate in any second", async () => {
    // Each user waits for the bot's answer before writing again (post() alone returns when any update is handled).
    const users = Array.from({ length: 40 }, (_, i) => {
      const bot = i % 2 ? a : b;
      const user: TelegramUser = new TelegramUser(300 + i, fake, async (update) => {
        const before = (await user.all()).length;
        await postRaw(bot, update);
        const until = Date.now() + 60_000;
        while ((await user.all()).length === before) {
          if (Date.now() > until) throw new Error("no answer within 60 s");
          await new Promise((r) => setTimeout(r, 100));
        }
      });
      return user;
    });
    await Promise.all(users.map(async (u) => {
      await u.say("/start");
      await u.say("/help");
      await u.say("/policies");
    }));
    const sends = await fake.sends();
    const busiest = maxInWindow(sends.map((s) => s.at), 1000);
    console.log(`[budget-2p] sends=${sends.length} busiest 1-s window=${busiest} (rate ${RATE}/s for both processes)`);
    for (const u of users) expect((await u.all()).length).toBeGreaterThanOrEqual(3);
    expect(busiest).toBeLessThanOrEqual(RATE);
  });
});
