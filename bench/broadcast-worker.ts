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
import { fileURLToPath } from "node:url";
import { openDatabase, type Database } from "../src/db/database.js";
import type { BroadcastCounts } from "../src/db/broadcasts-repo.js";
import { withDatabaseName } from "../src/db/uri.js";
import type { Sender } from "../src/engine/messages.js";
import { createServices } from "../src/composition/services.js";
import { parseConfig } from "../src/config.js";
import { createRenderer } from "../src/i18n/renderer.js";
import { systemClock } from "../src/shared/clock.js";
import { createJobQueue } from "../src/jobs/job-queue.js";
import { silentLogger } from "../src/shared/logger.js";
import type { FakeApiStats } from "./fake-bot-api.js";
import { createBenchTelegramSender } from "./telegram-sender.js";
import { errorMessage } from "../src/shared/guards.js";

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
  /**
   * Accepted sends per second over the send phase only: from the first accepted send until every
   * recipient had had its first attempt answered (work was queued all along). The retries of the
   * last 429s land after it, at least `retry_after` later: `tailMs`.
   */
  sendPhasePerSecond: number;
  sendPhaseRatio: number;
  /** From the end of the send phase to the last accepted send (0 when nothing was retried then). */
  tailMs: number;
  /** Largest number of accepted sends in any 1-second window (what the limit is about). */
  maxPerSecond: number;
  /** Largest number of send attempts, 429-refused ones included, in any 1-second window. */
  maxAttemptsPerSecond: number;
  /** After a 429, how long until the retry was sent, beyond the `retry_after` asked (ms): median, max. */
  retryLateMs: { p50: number; max: number } | null;
  rejected429: number;
  duplicates: number;
  losses: number;
  service: BroadcastCounts | null;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const apiRoot = args.get("--api-root") ?? "";
const mongoUri = args.get("--mongo-uri") ?? "";
const quick = args.get("--quick") === "1";
const renderer = createRenderer({ localesDir: fileURLToPath(new URL("../locales", import.meta.url)), timeZone: "Asia/Ho_Chi_Minh" });

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

/** One send attempt seen by the sender: sent at `start`, answered at `end`; `retryAfterMs` when refused with a 429. */
interface Attempt {
  chat: string;
  start: number;
  end: number;
  retryAfterMs: number | null;
}

/**
 * The send phase: from the first accepted send until the last recipient's first attempt was
 * answered. Its rate is the accepted sends inside it per second; what comes after is the tail of
 * retries. Also how much later than asked each retry after a 429 went out.
 */
function sendPhase(attempts: readonly Attempt[], accepted: readonly number[]): { rate: number; tailMs: number; retryLateMs: { p50: number; max: number } | null } {
  if (accepted.length === 0) return { rate: 0, tailMs: 0, retryLateMs: null };
  const first = Math.min(...accepted);
  const last = Math.max(...accepted);
  const firstTry = new Map<string, number>();
  const late: number[] = [];
  const refusedAt = new Map<string, number>();
  for (const a of [...attempts].sort((x, y) => x.start - y.start)) {
    if (!firstTry.has(a.chat)) firstTry.set(a.chat, a.end);
    const refused = refusedAt.get(a.chat);
    if (refused !== undefined) late.push(a.start - refused);
    if (a.retryAfterMs === null) refusedAt.delete(a.chat);
    else refusedAt.set(a.chat, a.end + a.retryAfterMs);
  }
  const end = Math.min(last, Math.max(...firstTry.values()));
  const inside = accepted.filter((t) => t <= end).length;
  late.sort((x, y) => x - y);
  return {
    rate: end > first ? inside / ((end - first) / 1000) : accepted.length,
    tailMs: last - end,
    retryLateMs: late.length === 0 ? null : { p50: late[Math.floor(late.length / 2)]!, max: late[late.length - 1]! },
  };
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
  const real: Sender = createBenchTelegramSender({ token: "123456:BENCHxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", apiRoot });
  // Every attempt as the broadcast path made it: when it went out, when it was answered, how.
  const attempts: Attempt[] = [];
  const sender: Sender = {
    channel: real.channel,
    async send(userId, message) {
      const start = Date.now();
      const result = await real.send(userId, message);
      attempts.push({ chat: userId, start, end: Date.now(), retryAfterMs: !result.ok && result.kind === "rate_limited" ? result.retryAfterMs : null });
      return result;
    },
  };
  const queue = createJobQueue(db, { processEveryMs: 100, name: `bench-${index}` });
  // The bot's own services from the composition root: the channel's send budget is `limit` per second.
  const parsed = parseConfig({ TERMINAL: "off", LOG_LEVEL: "silent", TELEGRAM_RATE_PER_SEC: String(limit) });
  if (!parsed.ok) throw new Error("bench settings refused");
  const services = createServices({
    config: parsed.config,
    db,
    logger: silentLogger,
    clock: systemClock,
    render: (m, l) => renderer.render(m, l),
    senders: new Map([["telegram", sender]]),
    notifier: { notify: async () => ({ ok: true }) },
    queue,
  });
  const service = services.staff.broadcasts;
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
  await services.sessions.close();
  if (record?.status !== "done") problems.push(`broadcast not done after ${Math.round(durationMs / 1000)} s (status ${record?.status})`);
  const stats = await fake<FakeApiStats>("/__stats");
  const sends = await fake<{ chat: string; at: number }[]>("/__sends");
  if (process.env.BENCH_DEBUG) process.stderr.write(`sends: ${sends.map((s) => s.at - (sends[0]?.at ?? 0)).join(",")}\n`);
  const chats = new Set(sends.map((s) => s.chat));
  const losses = recipients - chats.size;
  const achieved = steadyRate(sends.map((s) => s.at));
  const phase = sendPhase(attempts, sends.map((s) => s.at));
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
    sendPhasePerSecond: Math.round(phase.rate * 10) / 10,
    sendPhaseRatio: Math.round((phase.rate / limit) * 1000) / 1000,
    tailMs: phase.tailMs,
    maxPerSecond: stats.maxAcceptedPerSecond,
    maxAttemptsPerSecond: stats.maxAttemptsPerSecond,
    retryLateMs: phase.retryLateMs,
    rejected429: stats.rejected429,
    duplicates: stats.duplicates,
    losses,
    service: record?.counts ?? null,
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
    results.push({ label, ok: false, problems: [errorMessage(error)], recipients, limit, durationMs: 0, achievedPerSecond: 0, achievedRatio: 0, sendPhasePerSecond: 0, sendPhaseRatio: 0, tailMs: 0, maxPerSecond: 0, maxAttemptsPerSecond: 0, retryLateMs: null, rejected429: 0, duplicates: 0, losses: recipients, service: null });
  }
}
await fake("/__config", { limitPerSecond: 0, random429Ratio: 0 });
process.stdout.write(`BENCH_RESULT ${JSON.stringify(results)}\n`);
process.exit(0);
