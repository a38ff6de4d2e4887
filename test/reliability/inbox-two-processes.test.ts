/**
 * The inbox's exactly-once guarantee with two real bot processes on one database: updates stored
 * but never handled (as a crashed process leaves them: in `inbox`, no done marker, lease run out)
 * are recovered by the sweeps of both processes running at the same moment, and each is handled
 * exactly once; the same webhook update posted to both processes at once is handled once too.
 * The fake Telegram counts the replies: every user gets exactly what one /start gets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { textUpdate } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { startChildBot, startFake, startOwnDatabase, TelegramUser, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

// A lease long enough that a busy machine never runs a legitimate second attempt in this test
// (which would be a slow process, not a duplicate); sweeps run every lease / 4 = 5 s.
const LEASE_SECONDS = 20;
const RECOVERED = 40;
const TWICE_POSTED = 20;
let server: OwnDatabase;
let fake: FakeBotApi;
let db: Database;
let a: ChildBot;
let b: ChildBot;
/** How many messages one /start gets (measured on a control user). */
let single = 0;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  const uri = withDatabaseName(server.uri, "inbox-two");
  db = await openDatabase(uri);
  const extra = { INBOX_LEASE_SECONDS: String(LEASE_SECONDS) };
  [a, b] = await Promise.all([startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra }), startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra })]);
  single = (await new TelegramUser(1, fake, (u) => a.post(u)).say("/start")).length;
});

afterAll(async () => {
  a?.child.kill("SIGCONT");
  b?.child.kill("SIGCONT");
  await Promise.all([a?.kill("SIGTERM"), b?.kill("SIGTERM")]);
  await db?.close();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

const chatOf = (index: number) => String(700_000_000 + index);

/** Bounded: waits until every key has a done marker, then until each chat got `single` messages. */
async function waitHandled(keys: string[], indexes: number[]): Promise<void> {
  for (let check = 0; ; check++) {
    if ((await db.models.inboxDone.countDocuments({ _id: { $in: keys } })) === keys.length) break;
    if (check >= 600) throw new Error("updates not marked handled after 600 checks (60 s)");
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const index of indexes) {
    for (let check = 0; (await fake.sends(chatOf(index))).length < single; check++) {
      if (check >= 300) throw new Error(`chat ${index} got no full answer after 300 checks`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // A duplicate would be handled at the same time as the original: give it time to show.
  await new Promise((r) => setTimeout(r, 3_000));
}

/** Each chat got exactly what one /start gets: handled once, never twice. */
async function expectEachOnce(indexes: number[]): Promise<void> {
  const counts = await Promise.all(indexes.map(async (i) => (await fake.sends(chatOf(i))).length));
  expect(counts).toEqual(indexes.map(() => single));
}

describe("inbox: two processes, one database", () => {
  it("recovers stored but unhandled updates with both sweeps at once, each handled exactly once", async () => {
    expect(single).toBeGreaterThan(0);
    const handledBefore = await Promise.all([a, b].map((bot) => bot.metric("bot_updates_handled_total")));
    // Both processes stalled while the "crashed" entries appear, so that on SIGCONT both sweep
    // timers are overdue and both sweeps claim the same entries at the same moment.
    a.child.kill("SIGSTOP");
    b.child.kill("SIGSTOP");
    const indexes = Array.from({ length: RECOVERED }, (_, k) => 100 + k);
    const expired = new Date(Date.now() - (LEASE_SECONDS + 1) * 1_000);
    const docs = indexes.map((i) => {
      const update = textUpdate(i, "/start");
      return { _id: `telegram:${String(update.update_id)}`, channel: "telegram", body: JSON.stringify(update), at: expired, leaseAt: expired, attempt: 0 };
    });
    try {
      await db.models.inbox.collection.insertMany(docs as never[]);
      // Longer than the sweep interval (lease / 4).
      await new Promise((r) => setTimeout(r, (LEASE_SECONDS / 4 + 2) * 1_000));
    } finally {
      a.child.kill("SIGCONT");
      b.child.kill("SIGCONT");
    }
    const keys = docs.map((d) => d._id);
    await waitHandled(keys, indexes);
    await expectEachOnce(indexes);
    // One attempt each, claimed by exactly one process.
    const attempts = await db.models.inboxAttempt.find({ _id: { $in: keys.map((k) => `${k}#1`) } }).lean();
    expect(attempts.length).toBe(RECOVERED);
    expect(await db.models.inboxAttempt.countDocuments({ _id: { $in: keys.map((k) => `${k}#2`) } })).toBe(0);
    const handledAfter = await Promise.all([a, b].map((bot) => bot.metric("bot_updates_handled_total")));
    const byProcess = handledAfter.map((n, k) => n - handledBefore[k]!);
    console.log(`[inbox sweep] recovered by process a: ${byProcess[0]}, b: ${byProcess[1]}`);
    expect(byProcess[0]! + byProcess[1]!).toBe(RECOVERED);
  });

  it("handles the same webhook update posted to both processes at once exactly once", async () => {
    const post = (bot: ChildBot, body: unknown) =>
      fetch(`http://127.0.0.1:${bot.port}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        body: JSON.stringify(body),
      });
    const indexes = Array.from({ length: TWICE_POSTED }, (_, k) => 300 + k);
    const updates = indexes.map((i) => textUpdate(i, "/start"));
    const answers = await Promise.all(updates.flatMap((u) => [post(a, u), post(b, u)]));
    // Both acknowledge: a duplicate is acknowledged too (the platform must not re-deliver it).
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
    await waitHandled(
      updates.map((u) => `telegram:${String(u.update_id)}`),
      indexes,
    );
    await expectEachOnce(indexes);
  });
});
