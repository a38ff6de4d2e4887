/**
 * Issue #11 items 3 and 4 (one process): every send of the bot account shares one budget
 * (replies first), every retry_after is honoured and a reply waits rather than being dropped,
 * a hung platform call is bounded and makes /readyz fail.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { App } from "../../src/app.js";
import type { Database } from "../../src/db/database.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";
import { openTestDatabase } from "../helpers/db.js";
import { maxInWindow } from "../jobs/virtual-clock.js";
import { createBroadcastAsCli, startZaloApp, until, ZALO_TOKEN } from "./zalo-app.js";

describe("one send budget per bot account", () => {
  let db: Database;
  let fake: FakeZaloServer;
  let app: App | undefined;
  beforeAll(async () => {
    db = await openTestDatabase("sends_budget");
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.connection.dropDatabase();
    await Promise.all(Object.values(db.models).map((m) => m.createIndexes()));
    fake = await startFakeZaloServer({ token: ZALO_TOKEN, pollHoldMs: 100 });
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
  });

  const chatters = (n: number) => Array.from({ length: n }, (_, i) => `chat${i}`);
  const readyz = async () => (await fetch(`http://127.0.0.1:${app!.httpPort}/readyz`, { signal: AbortSignal.timeout(10_000) })).status;

  it("a broadcast while 40 users chat never goes over the rate in any second, and every reply arrives", async () => {
    const RATE = 10;
    const audience = Array.from({ length: 60 }, (_, i) => `aud${i}`);
    await db.models.contact.insertMany(audience.map((u) => ({ _id: `zalo:${u}`, channel: "zalo", userId: u, lastSeenAt: new Date() })));
    app = await startZaloApp(db, fake, { ZALO_RATE_PER_SEC: String(RATE) });
    const id = await createBroadcastAsCli(db, "Thông báo lớp học");
    // Wait until the broadcast is under way, then let 40 people write twice each.
    await until(() => fake.sent.some((m) => m.chatId.startsWith("aud")), 30_000, "the broadcast to start");
    const users = chatters(40);
    for (const u of users) fake.pushUpdate(fake.textUpdate(u, "/start"));
    for (const u of users) fake.pushUpdate(fake.textUpdate(u, "/help"));
    await until(() => users.every((u) => fake.sent.filter((m) => m.chatId === u).length >= 2), 60_000, "80 replies");
    await until(async () => (await db.models.broadcast.findById(id).lean())?.status === "done", 60_000, "the broadcast to finish");

    const busiest = maxInWindow(fake.sent.map((m) => m.at), 1000);
    console.log(`[budget] sends=${fake.sent.length} busiest 1-s window=${busiest} (rate ${RATE}/s)`);
    expect(fake.sent.filter((m) => m.chatId.startsWith("aud"))).toHaveLength(60);
    expect(busiest).toBeLessThanOrEqual(RATE);
  }, 120_000);

  it("429 retry_after: 15 on half the replies: every user still gets a reply, after the wait", async () => {
    app = await startZaloApp(db, fake, { REPLY_MAX_WAIT_S: "60" });
    const users = chatters(40);
    const throttled = (chatId: string) => Number(chatId.slice(4)) % 2 === 0;
    fake.throttleFirst(throttled, 15);
    const started = Date.now();
    for (const u of users) fake.pushUpdate(fake.textUpdate(u, "/start"));
    await until(() => users.every((u) => fake.sent.some((m) => m.chatId === u)), 60_000, "a reply for each of 40 users").catch(() => undefined);
    const answered = users.filter((u) => fake.sent.some((m) => m.chatId === u));
    console.log(`[429] replies dropped: ${users.length - answered.length} of ${users.length}`);
    expect(answered).toHaveLength(40);
    // Each throttled reply waited out its 15 s.
    for (const u of users.filter(throttled)) expect(fake.sent.find((m) => m.chatId === u)!.at - started).toBeGreaterThanOrEqual(14_500);
  }, 120_000);

  it("a hung platform: sends give up after SEND_TIMEOUT_MS, /readyz fails, and a new user is answered once it recovers", async () => {
    app = await startZaloApp(db, fake, { SEND_TIMEOUT_MS: "1000" });
    expect(await readyz()).toBe(200);
    fake.hangSends(true);
    for (const u of chatters(5)) fake.pushUpdate(fake.textUpdate(u, "/start"));
    await until(async () => (await readyz()) === 503, 20_000, "/readyz to fail while the platform hangs");
    fake.hangSends(false);
    const asked = Date.now();
    fake.pushUpdate(fake.textUpdate("newcomer", "/start"));
    await until(() => fake.sent.some((m) => m.chatId === "newcomer"), 15_000, "the newcomer's reply");
    console.log(`[hang] newcomer answered ${Date.now() - asked} ms after the platform recovered`);
    expect(await readyz()).toBe(200);
    // The hung sends were not retried (their outcome is unknown).
    expect(fake.calls.filter((c) => c.method === "sendMessage" && c.outcome === "hung")).toHaveLength(5);
  }, 60_000);
});
