/**
 * Issue #11 item 2: a send whose answer was lost (the platform delivered, then the connection was
 * reset) is never retried. Broadcasts record it in doubt; conversation replies are not sent again.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createZaloChannel } from "../../src/channels/zalo/zalo-channel.js";
import type { Database } from "../../src/db/database.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { createBroadcastService } from "../../src/jobs/broadcasts.js";
import { systemClock } from "../../src/shared/clock.js";
import { RateLimiter } from "../../src/jobs/rate-limiter.js";
import { createMetrics } from "../../src/server/metrics.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";
import { captureLogger } from "../channels/capture-logger.js";
import { FakeBot } from "../channels/fake-bot.js";
import { openTestDatabase } from "../helpers/db.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";

const TOKEN = "901:ambiguous-token";

/** A queue that does nothing: these tests run deliveries directly. */
const idleQueue: JobQueue = {
  define: () => undefined,
  schedule: async () => undefined,
  cancel: async () => 0,
  pending: async () => [],
  every: async () => undefined,
  start: async () => undefined,
  stop: async () => undefined,
};

/** How many times each chat got a message. */
function perChat(fake: FakeZaloServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of fake.sent) counts.set(m.chatId, (counts.get(m.chatId) ?? 0) + 1);
  return counts;
}

describe("sends whose answer was lost", () => {
  let db: Database;
  let fake: FakeZaloServer;
  beforeAll(async () => {
    db = await openTestDatabase("sends_ambiguous");
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    fake = await startFakeZaloServer({ token: TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("a broadcast to 1,000 with 2% of answers lost: nobody gets it twice, the lost ones are reported in doubt", async () => {
    const N = 1000;
    const users = Array.from({ length: N }, (_, i) => `z${i}`);
    await db.models.contact.insertMany(users.map((u) => ({ _id: `zalo:${u}`, channel: "zalo", userId: u, lastSeenAt: new Date() })));
    const channel = createZaloChannel({ token: TOKEN, apiBase: fake.apiBase, bot: new FakeBot(), metrics: createMetrics(), logger: captureLogger() });
    fake.loseAnswers(50);
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map([["zalo", channel.sender]]),
      limiters: new Map([["zalo", new RateLimiter({ perWindow: 2000 }, systemClock)]]),
      notifier: { notify: async () => ({ ok: true }) },
      queue: idleQueue,
      clock: systemClock,
      concurrency: 32,
      backoffMs: () => 10,
    });
    const created = await service.create({ text: { vi: "Thông báo" }, audience: { kind: "all" }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    const counts = await service.run(created.broadcast._id);

    const got = perChat(fake);
    const twice = [...got.values()].filter((n) => n > 1).length;
    const lost = Math.floor(N / 50);
    expect(twice).toBe(0);
    expect(got.size).toBe(N);
    expect(counts).toMatchObject({ delivered: N - lost, inDoubt: lost, failed: 0 });
  }, 120_000);

  it("a conversation reply whose answer was lost is not sent again", async () => {
    const channel = createZaloChannel({
      token: TOKEN,
      apiBase: fake.apiBase,
      bot: new FakeBot(),
      metrics: createMetrics(),
      logger: captureLogger(),
      pollTimeoutSeconds: 1,
      retry: { baseMs: 1, capMs: 5 },
    });
    fake.loseAnswers(2);
    await channel.start();
    try {
      for (let i = 0; i < 10; i++) fake.pushUpdate(fake.textUpdate(`c${i}`, "ping"));
      await fake.waitForSent(10, 20_000);
      // Give any retry time to show up.
      await new Promise((r) => setTimeout(r, 1_500));
    } finally {
      await channel.stop();
    }
    const got = perChat(fake);
    expect(got.size).toBe(10);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
