/**
 * SIGKILL the bot process mid-registration, restart it: a confirmed registration is present,
 * an unconfirmed one left no partial record, and the unfinished form continues where it was
 * (sessions are in the database). The broadcast crash (SIGKILL mid-delivery, resume, nobody
 * twice) is H5's test: test/jobs/broadcast-crash.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { answersFor, expectedFor, textUpdate, pressUpdate } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { capturedLogs, registrationScript, runSteps, startChildBot, startFake, startOwnDatabase, TelegramUser, TOKEN, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

let server: OwnDatabase;
let fake: FakeBotApi;
let db: Database;
let bot: ChildBot | undefined;
let uri: string;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  uri = withDatabaseName(server.uri, "crash");
  db = await openDatabase(uri);
});

afterAll(async () => {
  await bot?.kill("SIGTERM");
  await db?.close();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

/** Every stored enterprise must be whole: all fields and one contact person with consent. */
async function expectNoPartialRecords(): Promise<void> {
  for (const e of await db.models.enterprise.find({}).lean()) {
    expect(e.name && e.taxCode && e.sector && e.size && e.address).toBeTruthy();
    const people = await db.models.enterpriseContact.find({ taxCode: e._id }).lean();
    expect(people.length).toBeGreaterThan(0);
    for (const c of people) expect(c.name && c.phone && c.consentAt).toBeTruthy();
  }
}

describe("SIGKILL mid-registration", () => {
  it("keeps confirmed registrations, leaves no partial record, and resumes the open form", async () => {
    bot = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot });
    const first = bot;
    const post = (u: Record<string, unknown>) => first.post(u);
    const confirmed = new TelegramUser(1, fake, post);
    await runSteps(confirmed, registrationScript(answersFor(1)));
    const open = new TelegramUser(2, fake, post);
    const openScript = registrationScript(answersFor(2));
    // Everything but the final confirmation.
    await runSteps(open, openScript, 0, openScript.length - 1);
    // A third user's confirmation is in flight when the process dies.
    const racing = new TelegramUser(3, fake, post);
    const racingScript = registrationScript(answersFor(3));
    await runSteps(racing, racingScript, 0, racingScript.length - 1);
    const buttons = await racing.buttons();
    const last = (await racing.all()).reverse().find((s) => s.markup.includes("inline_keyboard"));
    void fetch(`http://127.0.0.1:${first.port}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: JSON.stringify(pressUpdate(3, last?.id ?? 0, "yes", buttons)),
    }).catch(() => undefined);
    await first.kill("SIGKILL");

    const afterKill = (await db.models.enterprise.find({}).lean()).map((e) => e.taxCode);
    expect(afterKill).toContain(expectedFor(1).taxCode);
    expect(afterKill).not.toContain(expectedFor(2).taxCode);
    await expectNoPartialRecords();

    bot = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot });
    const second = bot;
    // The open form continues at its last saved step: the confirmation.
    open.via((u) => second.post(u));
    await runSteps(open, openScript, openScript.length - 1);
    const after = (await db.models.enterprise.find({}).lean()).map((e) => e.taxCode);
    expect(after).toContain(expectedFor(1).taxCode);
    expect(after).toContain(expectedFor(2).taxCode);
    // Exactly one record per confirmed enterprise.
    expect(after.filter((t) => t === expectedFor(1).taxCode)).toHaveLength(1);
    await expectNoPartialRecords();
    // A stray message after the restart is answered (the process is healthy).
    await second.post(textUpdate(4, "/start"));
    expect((await fake.sends(String(700_000_004))).length).toBeGreaterThan(0);
  });

  it("logs hold no personal data or secrets", () => {
    const logs = capturedLogs();
    for (const i of [1, 2, 3]) {
      const a = answersFor(i);
      for (const value of [a.name, a.taxCode, a.address, a.contactPerson, a.phone, a.email, `+84${a.phone.slice(1)}`]) expect(logs).not.toContain(value);
    }
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
  });
});
