import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { createBroadcastService } from "../../src/jobs/broadcasts.js";
import { systemClock } from "../../src/shared/clock.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";
import { RateLimiter } from "../../src/jobs/rate-limiter.js";
import type { Msg, UserRef } from "../../src/engine/messages.js";
import { openTestDatabase } from "../helpers/db.js";
import { FakeSender } from "./fake-sender.js";
import { maxInWindow } from "./virtual-clock.js";

/** A queue that only records: these tests run deliveries directly. */
export function recordingQueue(): JobQueue & { scheduled: Array<{ name: string; at: Date; data: unknown }> } {
  const scheduled: Array<{ name: string; at: Date; data: unknown }> = [];
  return {
    scheduled,
    define: () => undefined,
    schedule: async (name, at, data) => void scheduled.push({ name, at, data }),
    cancel: async () => 0,
    pending: async () => [],
    every: async () => undefined,
    start: async () => undefined,
    stop: async () => undefined,
  };
}

describe("broadcast delivery", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("jobs_broadcast_delivery");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("sends 2,000 recipients within 200 msg/s, retries 429s, marks blocked ones unreachable, delivers every other exactly once", async () => {
    const N = 2000;
    const users = Array.from({ length: N }, (_, i) => `u${i}`);
    await db.models.contact.insertMany(
      users.map((u, i) => ({ _id: `telegram:${u}`, channel: "telegram", userId: u, locale: i % 3 === 0 ? "en" : "vi", lastSeenAt: new Date() })),
    );
    // People who must not receive it: unsubscribed, already unreachable, never talked to the bot.
    await db.models.contact.insertMany([
      { _id: "telegram:unsub", channel: "telegram", userId: "unsub", subscribed: false, lastSeenAt: new Date() },
      { _id: "telegram:gone", channel: "telegram", userId: "gone", unreachableAt: new Date(), unreachableCode: "403", lastSeenAt: new Date() },
      { _id: "telegram:silent", channel: "telegram", userId: "silent" },
    ]);
    const blocked = new Set(users.filter((_, i) => i % 97 === 5));
    const throttled = new Set(users.filter((_, i) => i % 101 === 7));
    const flaky = new Set(users.filter((_, i) => i % 211 === 3));
    const sender = new FakeSender({ perWindow: 200, blocked, throttleOnce: throttled, retryAfterMs: 300, flakyOnce: flaky });
    const limiter = new RateLimiter({ perWindow: 200, perChatIntervalMs: 1000 }, systemClock);
    const reports: Array<{ user: UserRef; msgs: Msg[] }> = [];
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map([["telegram", sender]]),
      limiters: new Map([["telegram", limiter]]),
      notifier: { notify: async (user, msgs) => (reports.push({ user, msgs }), { ok: true }) },
      queue: recordingQueue(),
      clock: systemClock,
      concurrency: 32,
      backoffMs: () => 50,
    });
    const created = await service.create({ text: { vi: "Thông báo", en: "Notice" }, audience: { kind: "all" }, createdBy: "telegram:staff1" });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const counts = await service.run(created.broadcast._id);

    expect(maxInWindow(sender.calls.filter((c) => c.result === true).map((c) => c.at), 1000)).toBeLessThanOrEqual(200);
    expect(sender.overLimit).toBe(0);
    // The few 429s were this platform's own (it counts accepted messages): refunds stay on.
    expect(limiter.refunding).toBe(true);
    for (const u of throttled) if (!blocked.has(u)) expect(sender.calls.filter((c) => c.userId === u).map((c) => c.result)).toEqual(["rate_limited", true]);
    for (const u of users) {
      const got = sender.delivered.get(u) ?? [];
      expect(got.length, u).toBe(blocked.has(u) ? 0 : 1);
    }
    expect(sender.delivered.get("u3")).toEqual(["Notice"]);
    expect(sender.delivered.get("u1")).toEqual(["Thông báo"]);
    for (const u of ["unsub", "gone", "silent"]) expect(sender.calls.some((c) => c.userId === u)).toBe(false);

    expect(counts).toMatchObject({ delivered: N - blocked.size, unreachable: blocked.size, failed: 0, inDoubt: 0 });
    const marked = await db.models.contact.find({ unreachableCode: "403_blocked" }, { _id: 1 }).lean();
    expect(marked.map((c) => c._id).sort()).toEqual([...blocked].map((u) => `telegram:${u}`).sort());
    expect(reports).toHaveLength(1);
    expect(reports[0]!.user).toEqual({ channel: "telegram", userId: "staff1" });
    expect(reports[0]!.msgs[0]).toMatchObject({ key: "staff:broadcast.report", params: { delivered: N - blocked.size, unreachable: blocked.size, inDoubt: 0 } });

    // Running it again (a second process, a restart) sends nothing more.
    const callsBefore = sender.calls.length;
    await db.models.broadcast.updateOne({ _id: created.broadcast._id }, { $set: { status: "sending" } });
    await service.run(created.broadcast._id);
    expect(sender.calls.length).toBe(callsBefore);
  }, 120_000);

  it("keeps sending to everyone else while throttled recipients wait out their retry-after, then delivers those once", async () => {
    const users = Array.from({ length: 24 }, (_, i) => `w${i}`);
    await db.models.contact.insertMany(users.map((u) => ({ _id: `telegram:${u}`, channel: "telegram", userId: u, lastSeenAt: new Date() })));
    // The first two claimed are refused with a long retry-after; only two may be in flight at once.
    const throttled = new Set(["w0", "w1"]);
    const sender = new FakeSender({ throttleOnce: throttled, retryAfterMs: 4000 });
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map([["telegram", sender]]),
      limiters: new Map([["telegram", new RateLimiter({ perWindow: 100, perChatIntervalMs: 1000 }, systemClock)]]),
      notifier: { notify: async () => ({ ok: true }) },
      queue: recordingQueue(),
      clock: systemClock,
      concurrency: 2,
    });
    const created = await service.create({ text: { vi: "Chờ" }, audience: { kind: "contacts", contacts: users.map((u) => `telegram:${u}`) }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    const counts = await service.run(created.broadcast._id);

    expect(counts).toMatchObject({ delivered: 24, failed: 0, inDoubt: 0 });
    for (const u of users) expect(sender.delivered.get(u), u).toHaveLength(1);
    for (const u of throttled) expect(sender.calls.filter((c) => c.userId === u).map((c) => c.result)).toEqual(["rate_limited", true]);
    // Nobody waited for them: every other recipient got it before their retries went out.
    const firstRetry = sender.calls.findIndex((c, i) => throttled.has(c.userId) && c.result === true && i > 0);
    const othersDone = Math.max(...users.filter((u) => !throttled.has(u)).map((u) => sender.calls.findIndex((c) => c.userId === u && c.result === true)));
    expect(othersDone).toBeLessThan(firstRetry);
  }, 30_000);

  it("against a platform that counts refused calls too, refunds stay bounded: no cascade of 429s, everyone once", async () => {
    const users = Array.from({ length: 150 }, (_, i) => `k${i}`);
    await db.models.contact.insertMany(users.map((u) => ({ _id: `telegram:${u}`, channel: "telegram", userId: u, lastSeenAt: new Date() })));
    const sender = new FakeSender({ perWindow: 50, countRefused: true, throttleOnce: new Set(users.filter((_, i) => i % 10 === 3)), retryAfterMs: 1000 });
    const limiter = new RateLimiter({ perWindow: 50, perChatIntervalMs: 1000 }, systemClock);
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map([["telegram", sender]]),
      limiters: new Map([["telegram", limiter]]),
      notifier: { notify: async () => ({ ok: true }) },
      queue: recordingQueue(),
      clock: systemClock,
      concurrency: 32,
    });
    const created = await service.create({ text: { vi: "Giới hạn" }, audience: { kind: "contacts", contacts: users.map((u) => `telegram:${u}`) }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    const counts = await service.run(created.broadcast._id);

    expect(counts).toMatchObject({ delivered: 150, failed: 0, inDoubt: 0 });
    for (const u of users) expect(sender.delivered.get(u), u).toHaveLength(1);
    // Accepted sends never above the limit.
    expect(maxInWindow(sender.calls.filter((c) => c.result === true).map((c) => c.at), 1000)).toBeLessThanOrEqual(50);
    // Refunds overfilled this platform's window once; the limiter noticed and stopped them.
    expect(limiter.refunding).toBe(false);
    expect(sender.calls.filter((c) => c.result === "rate_limited").length).toBeLessThan(400);
  }, 60_000);

  it("records a failure after repeated network errors instead of dropping the recipient silently", async () => {
    await db.models.contact.insertMany([{ _id: "zalo:z1", channel: "zalo", userId: "z1", lastSeenAt: new Date() }]);
    const down = { channel: "zalo" as const, send: async () => ({ ok: false as const, kind: "transient" as const, code: "ETIMEDOUT" }) };
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => ["zalo:z1"] },
      senders: new Map([["zalo", down]]),
      limiters: new Map(),
      notifier: { notify: async () => ({ ok: true }) },
      queue: recordingQueue(),
      clock: systemClock,
      backoffMs: () => 1,
    });
    const created = await service.create({ text: { vi: "Lớp học dời lịch" }, audience: { kind: "course", courseId: "c1" }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    const counts = await service.run(created.broadcast._id);
    expect(counts).toMatchObject({ delivered: 0, failed: 1, inDoubt: 0 });
    const resend = await service.resend(created.broadcast._id, "cli");
    expect(resend.ok).toBe(true);
  });

  it("stops gracefully on shutdown (nothing in doubt) and another process resumes it", async () => {
    await db.models.contact.insertMany(Array.from({ length: 400 }, (_, i) => ({ _id: `zalo:g${i}`, channel: "zalo", userId: `g${i}`, lastSeenAt: new Date() })));
    const sender = new FakeSender({ channel: "zalo", latencyMs: 10 });
    const build = () =>
      createBroadcastService({
        broadcasts: createBroadcastsRepo(db),
        deliveries: createDeliveriesRepo(db),
        sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
        senders: new Map([["zalo", sender]]),
        limiters: new Map([["zalo", new RateLimiter({ perWindow: 200 }, systemClock)]]),
        notifier: { notify: async () => ({ ok: true }) },
        queue: recordingQueue(),
        clock: systemClock,
        concurrency: 16,
        staleAfterMs: 60_000,
      });
    const first = build();
    const created = await first.create({ text: { vi: "Tạm dừng" }, audience: { kind: "contacts", contacts: Array.from({ length: 400 }, (_, i) => `zalo:g${i}`) }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    const running = first.run(created.broadcast._id);
    for (let i = 0; i < 200 && sender.delivered.size < 100; i++) await new Promise((r) => setTimeout(r, 25));
    await first.shutdown();
    expect(await running).toBeUndefined();
    const partial = await createDeliveriesRepo(db).counts(created.broadcast._id);
    expect(partial.inDoubt).toBe(0);
    expect(partial.sent).toBe(sender.delivered.size);
    expect(partial.sent).toBeLessThan(400);
    const second = build();
    // The sweep takes it over and runs it in this process.
    expect(await second.resumeStale()).toEqual([created.broadcast._id]);
    for (let i = 0; i < 400 && (await second.get(created.broadcast._id))?.status !== "done"; i++) await new Promise((r) => setTimeout(r, 50));
    expect(sender.delivered.size).toBe(400);
    expect([...sender.delivered.values()].every((m) => m.length === 1)).toBe(true);
    expect((await second.get(created.broadcast._id))?.counts).toMatchObject({ delivered: 400, inDoubt: 0 });
  }, 60_000);

  it("refuses an empty text or a malformed audience with a reason", async () => {
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map(),
      limiters: new Map(),
      notifier: { notify: async () => ({ ok: true }) },
      queue: recordingQueue(),
      clock: systemClock,
    });
    expect(await service.create({ text: { vi: "  " }, audience: { kind: "all" }, createdBy: "cli" })).toEqual({ ok: false, reason: "staff:broadcast.errors.text" });
    expect(await service.create({ text: { vi: "x" }, audience: { kind: "enterprises", sector: "nope" } as never, createdBy: "cli" })).toEqual({ ok: false, reason: "staff:broadcast.errors.audience" });
  });
});
