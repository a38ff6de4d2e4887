/**
 * Database outages, through the HTTP webhook of a real bot process (`src/main.ts` as a child):
 * - the database goes away right after an update was stored (a proxy fails every command but the
 *   inbox's): the user gets the localized "temporarily unavailable" (no stack trace), /readyz
 *   fails; once it is back the conversation continues from the last saved step;
 * - the server is stopped: the webhook refuses (503, bare) instead of acknowledging an update it
 *   cannot store; the platform's re-delivery after the restart is handled, nothing is lost;
 * - the database stalls (no answer at all): the apology comes within a few seconds; a stalled
 *   server (SIGSTOP) makes the webhook answer 503 within a few seconds, and /readyz fails;
 * - the logs hold no personal data or secrets.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { answersFor, expectedFor, pressUpdate, textUpdate } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { capturedLogs, registrationScript, root, runSteps, startChildBot, startFake, startOwnDatabase, TelegramUser, TOKEN, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";
import { startMongoProxy, type MongoProxy } from "./mongo-proxy.js";

let server: OwnDatabase;
let proxy: MongoProxy;
let fake: FakeBotApi;
let db: Database;
let bot: ChildBot;

const UNAVAILABLE = (loadLocales(join(root, "locales")).vi.common as { errors: Record<string, string> }).errors.unavailable!;
const INTERNAL = /Error|at .*\.(js|ts):\d+|Mongo|ECONNREFUSED|stack/;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  proxy = await startMongoProxy(Number(new URL(server.uri).port));
  const direct = withDatabaseName(server.uri, "outage");
  db = await openDatabase(direct);
  const viaProxy = new URL(direct);
  viaProxy.port = String(proxy.port);
  bot = await startChildBot({ mongoUri: viaProxy.toString(), apiRoot: fake.apiRoot, extra: { DB_TIMEOUT_MS: "2000", INBOX_LEASE_SECONDS: "5" } });
});

afterAll(async () => {
  server?.resume();
  await bot?.kill("SIGTERM");
  await db?.close();
  await proxy?.stop();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

const base = () => `http://127.0.0.1:${bot.port}`;
const readyz = async () => (await fetch(`${base()}/readyz`, { signal: AbortSignal.timeout(15_000) })).status;
const rawPost = (update: Record<string, unknown>) =>
  fetch(`${base()}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
    body: JSON.stringify(update),
    signal: AbortSignal.timeout(60_000),
  });

/** Bounded wait until /readyz says 200 again. */
async function readyAgain(): Promise<void> {
  for (let check = 0; (await readyz()) !== 200; check++) {
    if (check >= 150) throw new Error("not ready again after 150 checks");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("database outage, through the webhook", () => {
  it("apologises when the database fails after the update was stored, then continues from the last saved step", async () => {
    const deliver = (u: Record<string, unknown>) => bot.post(u);
    // A registration confirmed before the outage must survive it.
    await runSteps(new TelegramUser(1, fake, deliver), registrationScript(answersFor(1)));
    const a = answersFor(2);
    const user = new TelegramUser(2, fake, deliver);
    const script = registrationScript(a);
    // Up to and including the name and "tax code" as the kind of id: the next step is the tax code.
    await runSteps(user, script, 0, 5);
    expect(await user.choiceIds()).not.toContain("services_tourism");
    expect(await readyz()).toBe(200);

    proxy.block("reset");
    try {
      const duringOutage = await user.say(a.taxCode);
      const text = duringOutage.map((s) => s.text).join("\n");
      expect(text).toContain(UNAVAILABLE);
      expect(text).not.toMatch(INTERNAL);
      expect(await readyz()).toBe(503);
      expect(proxy.blocked).toBeGreaterThan(0);
    } finally {
      proxy.unblock();
    }
    await readyAgain();
    // The tax code answer was not saved; typing it again moves on to the sector question.
    const after = await user.say(a.taxCode);
    expect(after.length).toBeGreaterThan(0);
    expect(await user.choiceIds()).toContain("services_tourism");
    await runSteps(user, script, 6);

    const stored = await db.models.enterprise.find({}).lean();
    expect(stored.map((e) => e.taxCode).sort()).toEqual([expectedFor(1).taxCode, expectedFor(2).taxCode].sort());
  });

  it("refuses (503) an update it cannot store while the server is down, and handles the platform's re-delivery after the restart", async () => {
    const user = new TelegramUser(3, fake, (u) => bot.post(u));
    await user.say("/start");
    const menu = await user.choiceIds();
    expect(menu).toContain("enterprise");
    const sent = (await user.all()).length;
    // The press of "enterprise", as Telegram would send (and re-send) it.
    const last = await user.lastKeyboardMessage();
    const buttons = await user.buttons();
    const data = buttons.find((b) => b.callback_data?.endsWith(".enterprise"))?.callback_data;
    if (!last || !data) throw new Error("no enterprise button");
    const press = pressUpdate(3, last.id, data, buttons);

    await server.stop();
    try {
      const refused = await rawPost(press);
      expect(refused.status).toBe(503);
      expect(await refused.text()).not.toMatch(INTERNAL);
      expect(await readyz()).toBe(503);
      // Nothing was acknowledged, so nothing was answered.
      expect((await user.all()).length).toBe(sent);
    } finally {
      await server.restart();
    }
    await readyAgain();
    // Telegram delivers the refused update again: it is handled now, once.
    await bot.post(press);
    expect((await user.all()).length).toBeGreaterThan(sent);
    expect(await user.choiceIds()).not.toEqual(menu);
    const answered = (await user.all()).length;
    expect((await rawPost(press)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await user.all()).length).toBe(answered);
  });

  it("a stalled database gets the polite apology within a few seconds, and /readyz fails", async () => {
    // Someone new: their session must come from the database.
    const user = new TelegramUser(4, fake, (u) => bot.post(u));
    proxy.block("stall");
    try {
      const started = Date.now();
      const answer = await user.say("/start");
      const seconds = (Date.now() - started) / 1000;
      console.log(`[stall] apology after ${seconds.toFixed(1)} s (DB_TIMEOUT_MS=2000)`);
      expect(answer.map((s) => s.text).join("\n")).toContain(UNAVAILABLE);
      // Generous for a busy machine; without operation timeouts this would never come.
      expect(seconds).toBeLessThan(20);
      expect(await readyz()).toBe(503);
    } finally {
      proxy.unblock();
    }
    await readyAgain();
  });

  it("a stalled server (SIGSTOP) makes the webhook answer 503 within a few seconds; the re-delivery is handled after it wakes", async () => {
    const user = new TelegramUser(5, fake, (u) => bot.post(u));
    const update = textUpdate(5, "/start");
    server.pause();
    try {
      const started = Date.now();
      const refused = await rawPost(update);
      const seconds = (Date.now() - started) / 1000;
      console.log(`[stall] webhook 503 after ${seconds.toFixed(1)} s with the server stopped by SIGSTOP`);
      expect(refused.status).toBe(503);
      expect(seconds).toBeLessThan(20);
      expect(await readyz()).toBe(503);
    } finally {
      server.resume();
    }
    await readyAgain();
    // Telegram delivers it again. The timed-out insert may have landed once the server woke (then
    // this is a duplicate, and the sweep handles the stored update after its 5 s lease): either
    // way it is answered, once.
    expect((await rawPost(update)).status).toBe(200);
    for (let check = 0; (await user.all()).length === 0; check++) {
      if (check >= 300) throw new Error("the re-delivered update was not answered after 300 checks");
      await new Promise((r) => setTimeout(r, 100));
    }
    const answered = (await user.all()).length;
    await new Promise((r) => setTimeout(r, 6_000));
    expect((await user.all()).length).toBe(answered);
  });

  it("logs the outages without personal data or secrets", async () => {
    // Stopped first, so its log file is complete and its stderr captured.
    await bot.kill("SIGTERM");
    const logs = capturedLogs();
    expect(logs).toContain("database unavailable");
    for (const i of [1, 2]) {
      const a = answersFor(i);
      for (const value of [a.name, a.taxCode, a.address, a.contactPerson, a.phone, a.email, `+84${a.phone.slice(1)}`]) expect(logs).not.toContain(value);
    }
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
  });
});
