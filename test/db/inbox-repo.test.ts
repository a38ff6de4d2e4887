import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInboxRepo } from "../../src/db/inbox-repo.js";
import type { Database } from "../../src/db/database.js";
import { startInboxRecovery } from "../../src/jobs/inbox-recovery.js";
import { openTestDatabase } from "../helpers/db.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let one: Database;
let two: Database;

beforeAll(async () => {
  // Two connections to one database: two bot processes sharing it.
  [one, two] = await Promise.all([openTestDatabase("inbox_repo"), openTestDatabase("inbox_repo")]);
});
afterAll(async () => {
  await one?.close();
  await two?.close();
});

describe("update inbox", () => {
  it("stores an update once (the insert is the de-duplication claim), and drops the body when done", async () => {
    const inbox = createInboxRepo(one);
    const at = new Date();
    const results = await Promise.all([
      inbox.accept("telegram:1", "telegram", { update_id: 1 }, at),
      createInboxRepo(two).accept("telegram:1", "telegram", { update_id: 1 }, at),
      // A keyboard is a nested array: stored all the same.
      inbox.accept("telegram:2", "telegram", { update_id: 2, callback_query: { message: { reply_markup: { inline_keyboard: [[{ text: "a" }]] } } } }, at),
    ]);
    expect(results.sort()).toEqual(["duplicate", "new", "new"]);
    await inbox.done("telegram:1", at);
    await inbox.done("telegram:1", at); // idempotent
    expect(await inbox.isDone("telegram:1")).toBe(true);
    expect(await inbox.isDone("telegram:2")).toBe(false);
  });

  it("done markers written behind the reply are all stored once settle() resolves (a clean stop leaves none to replay)", async () => {
    const inbox = createInboxRepo(one);
    const at = new Date();
    const keys = Array.from({ length: 120 }, (_, i) => `telegram:behind-${i}`);
    await Promise.all(keys.map((key) => inbox.accept(key, "telegram", { key }, at)));
    const errors: unknown[] = [];
    for (const key of keys) inbox.markDone(key, at, (error) => errors.push(error));
    await inbox.settle();
    const done = await Promise.all(keys.map((key) => inbox.isDone(key)));
    expect(done.filter(Boolean).length).toBe(keys.length);
    expect(errors).toEqual([]);
  });

  it("two processes sweeping the same expired updates handle each exactly once", async () => {
    const received = new Date(Date.now() - 10 * 60_000);
    const keys = Array.from({ length: 60 }, (_, i) => `zalo:sweep-${i}`);
    const seed = createInboxRepo(one);
    await Promise.all(keys.map((key, i) => seed.accept(key, "zalo", { n: i }, received)));
    const handled: string[] = [];
    const sweeper = (db: Database, name: string) =>
      startInboxRecovery({
        ...(() => {
          const repo = createInboxRepo(db);
          return { claimExpired: repo.claimExpired, done: repo.done };
        })(),
        channels: new Map([["zalo", { replay: async (u: unknown) => (handled.push(`${name}:${(u as { n: number }).n}`), true) }]]),
        now: () => new Date(),
        logger: quiet,
        leaseMs: 60_000,
        everyMs: 3_600_000,
      });
    const a = sweeper(one, "a");
    const b = sweeper(two, "b");
    await Promise.all([a.stop(), b.stop()]);
    const updates = handled.map((h) => h.split(":")[1]);
    expect(updates.length).toBe(keys.length);
    expect(new Set(updates).size).toBe(keys.length);
    expect(await one.models.inboxDone.countDocuments({ _id: { $in: keys } })).toBe(keys.length);
    // Done entries are not taken again.
    expect((await seed.claimExpired(["zalo"], new Date(0), new Date(), new Date(), 3)).taken).toEqual([]);
  });

  it("a fresh entry waits for its lease; an entry failing every attempt is given up, not retried forever", async () => {
    const repo = createInboxRepo(one);
    const now = new Date();
    await repo.accept("telegram:fresh", "telegram", { update_id: 3 }, now);
    expect((await repo.claimExpired(["telegram"], new Date(0), new Date(now.getTime() - 60_000), now, 3)).taken.map((t) => t.key)).not.toContain("telegram:fresh");
    const old = new Date(now.getTime() - 3_600_000);
    await repo.accept("telegram:poison", "telegram", { update_id: 4 }, old);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const later = new Date(now.getTime() + attempt * 3_600_000);
      const { taken } = await repo.claimExpired(["telegram"], new Date(0), new Date(later.getTime() - 60_000), later, 3);
      expect(taken.find((t) => t.key === "telegram:poison")?.attempt).toBe(attempt);
    }
    const last = new Date(now.getTime() + 10 * 3_600_000);
    expect((await repo.claimExpired(["telegram"], new Date(0), last, last, 3)).gaveUp).toBeGreaterThanOrEqual(1);
    expect((await one.models.inbox.findById("telegram:poison").lean())?.failed).toBe(true);
    expect(await repo.isDone("telegram:poison")).toBe(true);
  });
});
