/**
 * Broadcast benchmark in its own process: recipients stored as contacts in the real database,
 * one broadcast created through the real broadcast service (agenda job queue, claims under a
 * unique index, the per-channel rate limiter) and sent with the real Telegram sender to the
 * fake Bot API. Scenarios: 30 msg/s (scaled to ~20 s), 1,000 msg/s with 10,000 recipients,
 * and 1,000 msg/s with the fake answering 5% of sends with 429 `retry_after: 1`.
 *   tsx bench/broadcast-worker.ts --api-root URL --fake-port N --mongo-uri URI [--quick 1]
 * Prints `BENCH_RESULT [json, …]`.
 */
import { performance } from "node:perf_hooks";
import { openDatabase, type Database } from "../src/db/database.js";
import { createBroadcastsRepo } from "../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../src/db/deliveries-repo.js";
import { withDatabaseName } from "../src/db/uri.js";
import type { Sender } from "../src/engine/messages.js";
import { createBroadcastService } from "../src/jobs/broadcasts.js";
import { systemClock } from "../src/jobs/clock.js";
import { createJobQueue } from "../src/jobs/job-queue.js";
import { RateLimiter } from "../src/jobs/rate-limiter.js";
import type { FakeApiStats } from "./fake-bot-api.js";
import { createBenchTelegramSender } from "./telegram-sender.js";

/** One broadcast scenario's numbers. */
export interface BroadcastResult {
  label: string;
  ok: boolean;
  problems: string[];
  recipients: number;
  limit: number;
  durationMs: number;
  /** Sends per second over the whole seconds of the delivery (see `steadyRate`). */
  achievedPerSecond: number;
  achievedRatio: number;
  maxPerSecond: number;
  rejected429: number;
  duplicates: number;
  losses: number;
  service: Record<string, unknown> | null;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const apiRoot = args.get("--api-root") ?? "";
const mongoUri = args.get("--mongo-uri") ?? "";
const quick = args.get("--quick") === "1";

async function fake<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(apiRoot + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return (await res.json()) as T;
}

/**
 * Sends per second over whole seconds: the number of sends in [first, first + W s) divided by
 * W, W = the whole seconds the delivery spanned. Unbiased for bursty and evenly paced senders.
 */
function steadyRate(times: number[]): number {
  if (times.length < 2) return times.length;
  const first = Math.min(...times);
  const last = Math.max(...times);
  const whole = Math.floor((last - first) / 1000);
  if (whole < 1) return times.length / Math.max(0.001, (last - first) / 1000);
  const inside = times.filter((t) => t < first + whole * 1000).length;
  return inside / whole;
}

async function seedContacts(db: Database, count: number, offset: number): Promise<void> {
  const now = new Date();
  const docs = Array.from({ length: count }, (_, i) => {
    const userId = String(800_000_000 + offset + i);
    return { _id: `telegram:${userId}`, channel: "telegram", userId, locale: i % 5 === 0 ? "en" : "vi", subscribed: true, unreachableAt: null, unreachableCode: null, lastSeenAt: now, createdAt: now, updatedAt: now };
  });
  for (let i = 0; i < docs.length; i += 1000) await db.models.contact.collection.insertMany(docs.slice(i, i + 1000) as never[], { ordered: false });
}

async function scenario(label: string, recipients: number, limit: number, random429: number, index: number): Promise<BroadcastResult> {
  const db = await openDatabase(withDatabaseName(mongoUri, `bench_broadcast_${index}_${Date.now().toString(36)}`));
  const problems: string[] = [];
  await fake("/__reset", {});
  await fake("/__config", { limitPerSecond: limit, random429Ratio: random429, blockedChats: [] });
  await seedContacts(db, recipients, index * 1_000_000);
  const sender: Sender = createBenchTelegramSender({ token: "123456:BENCHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", apiRoot });
  const queue = createJobQueue(db, { processEveryMs: 100, name: `bench-${index}` });
  const service = createBroadcastService({
    broadcasts: createBroadcastsRepo(db),
    deliveries: createDeliveriesRepo(db),
    sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
    senders: new Map([["telegram", sender]]),
    limiters: new Map([["telegram", new RateLimiter({ perWindow: limit, perChatIntervalMs: 1000 }, systemClock)]]),
    notifier: { notify: async () => ({ ok: true }) },
    queue,
    clock: systemClock,
  });
  service.register();
  await queue.start();
  const started = performance.now();
  const created = await service.create({ text: { vi: `Thông báo thử nghiệm ${label}`, en: `Test announcement ${label}` }, audience: { kind: "all" }, createdBy: "cli" });
  if (!created.ok) throw new Error(`broadcast not created: ${created.reason}`);
  const id = created.broadcast._id;
  // Bounded wait for the job to finish: generous for the slowest scenario.
  const deadline = Date.now() + Math.max(60_000, (recipients / limit) * 3000);
  let record = await service.get(id);
  while (record?.status !== "done" && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    record = await service.get(id);
  }
  const durationMs = performance.now() - started;
  await queue.stop();
  if (record?.status !== "done") problems.push(`broadcast not done after ${Math.round(durationMs / 1000)} s (status ${record?.status})`);
  const stats = await fake<FakeApiStats>("/__stats");
  const sends = await fake<{ chat: string; at: number }[]>("/__sends");
  if (process.env.BENCH_DEBUG) process.stderr.write(`sends: ${sends.map((s) => s.at - (sends[0]?.at ?? 0)).join(",")}\n`);
  const chats = new Set(sends.map((s) => s.chat));
  const losses = recipients - chats.size;
  const achieved = steadyRate(sends.map((s) => s.at));
  if (stats.duplicates > 0) problems.push(`${stats.duplicates} duplicate sends`);
  if (losses > 0) problems.push(`${losses} recipients never received it`);
  await db.connection.dropDatabase();
  await db.close();
  return {
    label,
    ok: problems.length === 0,
    problems,
    recipients,
    limit,
    durationMs: Math.round(durationMs),
    achievedPerSecond: Math.round(achieved * 10) / 10,
    achievedRatio: Math.round((achieved / limit) * 1000) / 1000,
    maxPerSecond: stats.maxAttemptsPerSecond,
    rejected429: stats.rejected429,
    duplicates: stats.duplicates,
    losses,
    service: (record?.counts as Record<string, unknown> | undefined) ?? null,
  };
}

const results: BroadcastResult[] = [];
const only = args.get("--only");
const plan: [string, number, number, number][] = only ? [[`${only}`, Number(only.split(",")[0]), Number(only.split(",")[1]), Number(only.split(",")[2] ?? 0)]] : quick
  ? [["30/s, 300 recipients", 300, 30, 0], ["1000/s, 3000 recipients", 3000, 1000, 0], ["1000/s, 3000 recipients, 5% 429", 3000, 1000, 0.05]]
  : [["30/s, 600 recipients (scaled: 20 s)", 600, 30, 0], ["1000/s, 10000 recipients", 10_000, 1000, 0], ["1000/s, 10000 recipients, 5% 429", 10_000, 1000, 0.05], ["30/s, 600 recipients, 5% 429", 600, 30, 0.05]];
for (const [index, [label, recipients, limit, ratio]] of plan.entries()) {
  process.stderr.write(`bench: broadcast ${label}…\n`);
  try {
    results.push(await scenario(label, recipients, limit, ratio, index));
  } catch (error) {
    results.push({ label, ok: false, problems: [(error as Error).message], recipients, limit, durationMs: 0, achievedPerSecond: 0, achievedRatio: 0, maxPerSecond: 0, rejected429: 0, duplicates: 0, losses: recipients, service: null });
  }
}
await fake("/__config", { limitPerSecond: 0, random429Ratio: 0 });
process.stdout.write(`BENCH_RESULT ${JSON.stringify(results)}\n`);
process.exit(0);
