/**
 * The web channel's core with a scripted bot and in-memory history (no HTTP): the typing
 * indicator around a reply, long texts split into bubbles, a file as a single-use link, order
 * per visitor, and the buttons of a question.
 */
import { describe, expect, it } from "vitest";
import type { Bot, Incoming, Outgoing } from "../../../src/engine/messages.js";
import { noopMetrics } from "../../../src/channels/shared/channel-metrics.js";
import type { ChatEntry } from "../../../src/channels/web/protocol.js";
import { createWebChannel, WEB_TEXT_LIMIT, type SocketLike } from "../../../src/channels/web/web-channel.js";
import type { WebHistory } from "../../../src/channels/web/web-history.js";

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

function memoryHistory(): WebHistory & { stored: Map<string, ChatEntry[]> } {
  const stored = new Map<string, ChatEntry[]>();
  return {
    stored,
    async append(key, entries) { stored.set(key, [...(stored.get(key) ?? []), ...entries]); },
    async recent(key) { return stored.get(key) ?? []; },
    async erase(key) { stored.delete(key); },
    async pruneIdle() { return 0; },
  };
}

function socket(): SocketLike & { frames: Record<string, unknown>[]; until(test: (f: Record<string, unknown>[]) => boolean): Promise<void> } {
  const frames: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  return {
    frames,
    send(data) { frames.push(JSON.parse(data) as Record<string, unknown>); wake?.(); },
    close() {},
    async until(test) {
      for (let i = 0; i < 200 && !test(frames); i++) await new Promise<void>((r) => { wake = r; setTimeout(r, 50); });
      if (!test(frames)) throw new Error(`not reached: ${JSON.stringify(frames.slice(-3))}`);
    },
  };
}

describe("web channel core", () => {
  it("shows typing, splits long text, offers a file as a link, keeps one visitor's messages in order", async () => {
    const seen: string[] = [];
    const bot: Bot = {
      async handle(incoming: Incoming): Promise<Outgoing[]> {
        seen.push(incoming.text ?? incoming.choiceId ?? "");
        if (incoming.text === "/start") return [{ text: "Xin chào", choices: [{ id: "k.a", label: "A" }], locale: "vi" }];
        if (incoming.text === "long") return [{ text: `${"câu dài. ".repeat(400)}`, locale: "vi" }];
        if (incoming.text === "file") return [{ text: "", document: { filename: "dang-ky.csv", mimeType: "text/csv", content: Buffer.from("a,b") }, locale: "vi" }];
        await new Promise((r) => setTimeout(r, 20));
        return [{ text: `echo ${incoming.text ?? incoming.choiceId}`, locale: "vi" }];
      },
    };
    const history = memoryHistory();
    const issued: string[] = [];
    const channel = createWebChannel({
      bot, metrics: noopMetrics, logger: quiet, history, defaultLocale: "vi",
      render: (m) => `${m.key}${m.params ? JSON.stringify(m.params) : ""}`,
      setLocale: async () => {},
      files: { create: async (doc) => { issued.push(doc.filename); return "T".repeat(32); }, ttlMs: 15 * 60_000 },
    });
    await channel.start();
    const s = socket();
    const c = channel.connect(s, { id: "v".repeat(22), persistent: true }, "127.0.0.1")!;
    await s.until((f) => f.some((x) => x.t === "typing" && x.on === false));
    const greeting = s.frames.find((f) => f.t === "msg") as { entry: ChatEntry };
    expect(greeting.entry.choices).toEqual([{ id: "k.a", label: "A" }]);
    expect(s.frames.findIndex((f) => f.t === "typing" && f.on === true)).toBeLessThan(s.frames.indexOf(greeting));

    c.receive(JSON.stringify({ t: "text", id: "long0001", text: "long" }));
    c.receive(JSON.stringify({ t: "text", id: "file0001", text: "file" }));
    for (let i = 0; i < 5; i++) c.receive(JSON.stringify({ t: "text", id: `order-00${i}`, text: `m${i}` }));
    await s.until((f) => f.filter((x) => x.t === "msg" && (x.entry as ChatEntry).text.startsWith("echo")).length === 5);
    const bot_ = s.frames.filter((f) => f.t === "msg").map((f) => f.entry as ChatEntry);
    const long = bot_.filter((e) => e.text.startsWith("câu dài"));
    expect(long.length).toBeGreaterThan(1);
    expect(long.every((e) => e.text.length <= WEB_TEXT_LIMIT)).toBe(true);
    const file = bot_.find((e) => e.file);
    expect(file?.file).toEqual({ name: "dang-ky.csv", url: `/files/${"T".repeat(32)}`, label: 'web:file.download{"filename":"dang-ky.csv"}' });
    expect(issued).toEqual(["dang-ky.csv"]);
    expect(seen).toEqual(["/start", "long", "file", "m0", "m1", "m2", "m3", "m4"]);
    expect(bot_.filter((e) => e.text.startsWith("echo")).map((e) => e.text)).toEqual(["echo m0", "echo m1", "echo m2", "echo m3", "echo m4"]);
    // The history has each message the visitor sent, then the bot's answers to it.
    const stored = history.stored.get(`web:${"v".repeat(22)}`)!;
    expect(stored.filter((e) => e.from === "user").map((e) => e.text)).toEqual(["long", "file", "m0", "m1", "m2", "m3", "m4"]);
    c.closed();
    await channel.stop();
  });
});
