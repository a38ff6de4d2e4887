/**
 * The shared platform lifecycle on its own, with a tiny in-memory platform: webhook receipts,
 * the offset that moves only past stored updates, an update handed over once handled even when
 * it could not be stored, replay, per-chat order, a bounded drain and confirmation at stop.
 */
import { describe, expect, it } from "vitest";
import { noopMetrics } from "../../../src/channels/shared/channel-metrics.js";
import type { ChannelOptions } from "../../../src/channels/shared/channel.js";
import { createPlatformChannel, type PlatformPolling } from "../../../src/channels/shared/platform-channel.js";
import { SendHealth } from "../../../src/channels/shared/send-health.js";
import { createMetrics } from "../../../src/server/metrics.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";

interface FakeUpdate {
  id: number;
  chat: string;
  text: string;
}

const parse = (body: unknown): FakeUpdate | undefined => {
  const b = body as Partial<FakeUpdate> | null;
  return b && typeof b.id === "number" && typeof b.chat === "string" && typeof b.text === "string" ? (b as FakeUpdate) : undefined;
};

/** An inbox in memory that can be told to fail. */
function memoryInbox() {
  const stored = new Set<string>();
  const done: string[] = [];
  let failFor: ((key: string) => boolean) | undefined;
  return {
    stored,
    done,
    failWhen: (rule: ((key: string) => boolean) | undefined) => void (failFor = rule),
    inbox: {
      accept: async (key: string) => {
        if (failFor?.(key)) throw new Error("database unavailable");
        if (stored.has(key)) return false;
        stored.add(key);
        return true;
      },
      done: async (key: string) => void done.push(key),
    },
  };
}

/** Waits (bounded by count, not by time) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

/** A platform whose polls return `batches` in turn, then wait for the stop. */
function fakePlatform(options: { batches?: unknown[][]; notStored?: PlatformPolling<FakeUpdate, unknown>["notStored"]; hold?: Promise<void> } = {}) {
  const handled: string[] = [];
  const offsets: number[] = [];
  const confirmed: number[] = [];
  const calls: string[] = [];
  const batches = [...(options.batches ?? [])];
  const polling: PlatformPolling<FakeUpdate, unknown> = {
    prepare: async () => void calls.push("deleteWebhook"),
    fetch: (offset, signal) => {
      offsets.push(offset);
      const next = batches.shift();
      if (next) return Promise.resolve(next);
      return new Promise((resolve) => signal.addEventListener("abort", () => resolve([]), { once: true }));
    },
    parse,
    offsetAfter: (raw) => (raw as { id: number }).id + 1,
    notStored: options.notStored ?? "poll-again",
    confirm: async (offset) => void confirmed.push(offset),
    idleDelayMs: 0,
  };
  const parts = {
    name: "telegram" as const,
    label: "Fake",
    parse,
    updateId: (u: FakeUpdate) => String(u.id),
    chatKey: (u: FakeUpdate) => u.chat,
    handle: async (u: FakeUpdate) => {
      await options.hold;
      handled.push(u.text);
    },
    health: new SendHealth(),
    sender: { channel: "telegram" as const, send: async () => ({ ok: true as const }) },
    connect: async () => void calls.push("getMe"),
    polling,
    webhook: { authorize: () => true, register: async () => void calls.push("setWebhook") },
  };
  return { parts, handled, offsets, confirmed, calls };
}

const base = (extra: Partial<ChannelOptions> = {}): ChannelOptions => ({ bot: new FakeBot(), metrics: noopMetrics, logger: captureLogger(), pollBackoff: { baseMs: 1, capMs: 2 }, ...extra });

describe("the shared platform channel", () => {
  it("answers webhook deliveries busy before start, then accepted, duplicate or invalid; a refused body is counted and never handled", async () => {
    const fake = fakePlatform();
    const memory = memoryInbox();
    const metrics = createMetrics();
    const channel = createPlatformChannel(base({ webhook: { url: "https://x.test/hook", secret: "s" }, inbox: memory.inbox, metrics }), fake.parts);
    const receive = (body: unknown) => channel.webhook?.receive(body);
    expect(channel.mode).toBe("webhook");
    expect(await receive({ id: 1, chat: "a", text: "early" })).toBe("busy");
    expect(channel.notReady).toBe("not_running");
    await channel.start();
    expect(fake.calls).toEqual(["getMe", "setWebhook"]);
    expect(await receive({ id: 1, chat: "a", text: "one" })).toBe("accepted");
    expect(await receive({ id: 1, chat: "a", text: "one" })).toBe("duplicate");
    expect(await receive({ nonsense: true })).toBe("invalid");
    memory.failWhen(() => true);
    expect(await receive({ id: 2, chat: "a", text: "unstored" })).toBe("busy");
    memory.failWhen(undefined);
    await until(() => memory.done.length === 1);
    expect(fake.handled).toEqual(["one"]);
    expect(memory.done).toEqual(["telegram:1"]);
    // Refused for now, so the platform re-delivers it: then it is new.
    expect(await receive({ id: 2, chat: "a", text: "unstored" })).toBe("accepted");
    await channel.stop();
    expect(fake.handled).toEqual(["one", "unstored"]);
    const text = await metrics.render();
    expect(text).toMatch(/bot_updates_invalid_total\{channel="telegram"\} 1/);
    expect(text).toMatch(/bot_webhook_rejected_total\{channel="telegram",reason="invalid"\} 1/);
  });

  it("moves the polling offset only past stored updates: the first unstored one is polled again, handled once", async () => {
    const memory = memoryInbox();
    const fake = fakePlatform({
      batches: [
        [
          { id: 10, chat: "a", text: "ten" },
          { bad: true, id: 11 },
          { id: 12, chat: "b", text: "twelve" },
          { id: 13, chat: "c", text: "thirteen" },
        ],
        [
          { id: 12, chat: "b", text: "twelve" },
          { id: 13, chat: "c", text: "thirteen" },
        ],
      ],
    });
    let failOnce = true;
    memory.failWhen((key) => key === "telegram:12" && failOnce && !(failOnce = false));
    const channel = createPlatformChannel(base({ inbox: memory.inbox }), fake.parts);
    await channel.start();
    expect(fake.calls).toEqual(["getMe", "deleteWebhook"]);
    await until(() => fake.handled.length === 3 && fake.offsets.length === 3);
    await channel.stop();
    // 10 and the invalid 11 are confirmed; 12 was not stored, so the next poll starts there.
    expect(fake.offsets).toEqual([0, 12, 14]);
    expect([...fake.handled].sort()).toEqual(["ten", "thirteen", "twelve"]);
    expect(fake.confirmed).toEqual([14]);
  });

  it("handles an update the platform hands over only once even when the inbox cannot store it (never marked done)", async () => {
    const memory = memoryInbox();
    memory.failWhen(() => true);
    const fake = fakePlatform({ batches: [[{ id: 5, chat: "a", text: "once" }]], notStored: "handle-in-memory" });
    const channel = createPlatformChannel(base({ inbox: memory.inbox }), fake.parts);
    await channel.start();
    await until(() => fake.handled.length === 1);
    await channel.stop();
    expect(fake.handled).toEqual(["once"]);
    expect(memory.done).toEqual([]);
    // No stored update was skipped: the offset moved past it all the same.
    expect(fake.offsets).toEqual([0, 6]);
  });

  it("keeps one chat's updates in order, replays a stored body without marking it again, and handleUpdate resolves once handled", async () => {
    const memory = memoryInbox();
    const fake = fakePlatform();
    const channel = createPlatformChannel(base({ inbox: memory.inbox }), fake.parts);
    await channel.start();
    const results = await Promise.all([1, 2, 3].map((id) => channel.handleUpdate({ id, chat: "a", text: `m${id}` })));
    expect(results).toEqual(["handled", "handled", "handled"]);
    expect(fake.handled).toEqual(["m1", "m2", "m3"]);
    expect(await channel.handleUpdate({ id: 2, chat: "a", text: "m2" })).toBe("duplicate");
    expect(await channel.handleUpdate("not an update")).toBe("invalid");
    expect(await channel.replay({ id: 9, chat: "a", text: "replayed" })).toBe(true);
    expect(await channel.replay({ nope: 1 })).toBe(false);
    expect(fake.handled.at(-1)).toBe("replayed");
    expect(memory.done).toEqual(["telegram:1", "telegram:2", "telegram:3"]);
    await channel.stop();
  });

  it("stops within its drain bound with work stuck, warns, and does not confirm the offset", async () => {
    const logger = captureLogger();
    const fake = fakePlatform({ batches: [[{ id: 1, chat: "a", text: "stuck" }]], hold: new Promise(() => {}) });
    const channel = createPlatformChannel(base({ logger, drainTimeoutMs: 20 }), fake.parts);
    await channel.start();
    await until(() => fake.offsets.length === 2);
    await channel.stop();
    expect(channel.running).toBe(false);
    expect(fake.confirmed).toEqual([]);
    expect(logger.lines.some((l) => l.message === "stopped with updates still in flight")).toBe(true);
  });
});
