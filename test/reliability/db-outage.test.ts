/**
 * Database outage mid-conversation: the user gets the localized "temporarily unavailable"
 * reply (no stack trace), /readyz fails; after the server restarts on the same data dir and
 * port, the conversation continues from the last saved step and nothing confirmed is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { answersFor, expectedFor } from "../../bench/driver.js";
import { capturedLogs, registrationScript, runSteps, startFake, startInProcessBot, startOwnDatabase, TelegramUser, TOKEN, WEBHOOK_SECRET, type InProcessBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

let db: OwnDatabase;
let fake: FakeBotApi;
let bot: InProcessBot;

beforeAll(async () => {
  [db, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  bot = await startInProcessBot({ mongoUri: db.uri, apiRoot: fake.apiRoot, dbName: "outage", extra: { DB_TIMEOUT_MS: "2000" } });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await db?.stop();
  removeTemporaryFiles();
});

const readyz = async () => (await fetch(`http://127.0.0.1:${bot.port}/readyz`, { signal: AbortSignal.timeout(10_000) })).status;

describe("database outage mid-conversation", () => {
  it("apologises while the database is down, then continues from the last saved step", async () => {
    const deliver = (u: Record<string, unknown>) => bot.handleUpdate(u);
    // A registration confirmed before the outage must survive it.
    const done = new TelegramUser(1, fake, deliver);
    await runSteps(done, registrationScript(answersFor(1)));
    const a = answersFor(2);
    const user = new TelegramUser(2, fake, deliver);
    const script = registrationScript(a);
    // Up to and including the name and "tax code" as the kind of id: the next step is the tax code.
    await runSteps(user, script, 0, 5);
    const beforeOutage = await user.choiceIds();
    expect(await readyz()).toBe(200);

    await db.stop();
    const duringOutage = await user.say(a.taxCode);
    const unavailable = bot.app.renderer.render({ key: "common:errors.unavailable" }, "vi");
    expect(duringOutage.map((s) => s.text).join("\n")).toContain(unavailable);
    for (const s of duringOutage) expect(s.text).not.toMatch(/Error|at .*\.(js|ts):\d+|Mongo|ECONNREFUSED/);
    expect(await readyz()).toBe(503);

    await db.restart();
    // Bounded wait until the driver has reconnected.
    const until = Date.now() + 30_000;
    while ((await readyz()) !== 200) {
      if (Date.now() > until) throw new Error("not ready again within 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    // The tax code answer was not saved; typing it again moves on to the sector question.
    const after = await user.say(a.taxCode);
    expect(await user.choiceIds()).toContain("services_tourism");
    expect(after.length).toBeGreaterThan(0);
    expect(beforeOutage).not.toContain("services_tourism");
    await runSteps(user, script, 6);

    const stored = await bot.db.models.enterprise.find({}).lean();
    const taxCodes = stored.map((e) => e.taxCode).sort();
    expect(taxCodes).toEqual([expectedFor(1).taxCode, expectedFor(2).taxCode].sort());
  });

  it("a stalled database (SIGSTOP) gets the polite apology within a few seconds, and /readyz fails", async () => {
    // Someone new: their session must come from the database.
    const user = new TelegramUser(3, fake, (u) => bot.handleUpdate(u));
    const unavailable = bot.app.renderer.render({ key: "common:errors.unavailable" }, "vi");
    db.pause();
    try {
      const started = Date.now();
      // Bounded: without operation timeouts this would wait for the database forever.
      const answer = await Promise.race([
        user.say("/start"),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no answer within 30 s with the database stalled")), 30_000)),
      ]);
      const seconds = (Date.now() - started) / 1000;
      console.log(`[stall] apology after ${seconds.toFixed(1)} s`);
      expect(answer.map((s) => s.text).join("\n")).toContain(unavailable);
      // DB_TIMEOUT_MS=2000 here; generous for a busy machine.
      expect(seconds).toBeLessThan(15);
      expect(await readyz()).toBe(503);
    } finally {
      db.resume();
    }
    const until = Date.now() + 30_000;
    while ((await readyz()) !== 200) {
      if (Date.now() > until) throw new Error("not ready again within 30 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it("logs the outage without personal data or secrets", () => {
    const logs = capturedLogs();
    expect(logs.length).toBeGreaterThan(0);
    for (const i of [1, 2]) {
      const a = answersFor(i);
      for (const value of [a.name, a.taxCode, a.address, a.contactPerson, a.phone, a.email, `+84${a.phone.slice(1)}`]) expect(logs).not.toContain(value);
    }
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
  });
});
