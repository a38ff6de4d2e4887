import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classifyTelegramError } from "../../../src/channels/telegram/classify-telegram-error.js";
import { createTelegramChannel } from "../../../src/channels/telegram/telegram-channel.js";
import { callbackData } from "../../../src/channels/telegram/telegram-delivery.js";
import { createMetrics } from "../../../src/server/metrics.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";

const TOKEN = "314159:AAE-sender-test-token";

/** A minimal Bot API whose answer depends on the chat id, recording every call. */
async function startBotApi(): Promise<{ apiRoot: string; calls: { method: string; chatId?: string; size: number }[]; close(): Promise<void> }> {
  const calls: { method: string; chatId?: string; size: number }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const method = (req.url ?? "").split("/").pop() ?? "";
    const chatId = /"chat_id":"?(-?\w+)/.exec(raw)?.[1] ?? /name="chat_id"\r\n\r\n(\S+)/.exec(raw)?.[1];
    calls.push({ method, chatId, size: raw.length });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (chatId === "429") return json(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    if (chatId === "403") return json(403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    if (chatId === "400") return json(400, { ok: false, error_code: 400, description: "Bad Request: chat not found" });
    if (chatId === "500") return json(500, { ok: false, error_code: 500, description: "Internal Server Error" });
    json(200, { ok: true, result: { message_id: calls.length, date: 0, chat: { id: Number(chatId), type: "private" } } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe("Telegram sender", () => {
  let api: Awaited<ReturnType<typeof startBotApi>>;
  const metrics = createMetrics();
  const sender = () =>
    createTelegramChannel({ token: TOKEN, apiRoot: api.apiRoot, bot: new FakeBot(), metrics, logger: captureLogger(), retry: { baseMs: 1, capMs: 5 } })
      .sender;

  beforeEach(async () => {
    api = await startBotApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it("sends text with an inline keyboard, and documents with sendDocument", async () => {
    const result = await sender().send("12345", {
      text: "Tệp đăng ký",
      choices: [{ id: "ok", label: "Đã rõ" }],
      document: { filename: "dang-ky.csv", mimeType: "text/csv", content: Buffer.from("mst,ten\n") },
    });
    expect(result).toEqual({ ok: true });
    expect(api.calls.map((c) => [c.method, c.chatId])).toEqual([
      ["sendMessage", "12345"],
      ["sendDocument", "12345"],
    ]);
  });

  it("maps 429 to rate_limited with retry_after, 403 and chat-not-found to unreachable, 5xx to unknown (maybe delivered)", async () => {
    expect(await sender().send("429", { text: "x" })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 7000 });
    expect(await sender().send("403", { text: "x" })).toEqual({ ok: false, kind: "unreachable", code: "403" });
    expect(await sender().send("400", { text: "x" })).toEqual({ ok: false, kind: "unreachable", code: "400" });
    expect(await sender().send("500", { text: "x" })).toEqual({ ok: false, kind: "unknown", code: "500" });
    // The sender leaves retrying a first part to its caller: one call each.
    expect(api.calls.filter((c) => c.chatId === "429")).toHaveLength(1);
    expect(await metrics.render()).toMatch(/bot_send_failures_total\{channel="telegram",reason="unreachable"\} 2/);
  });

  it("maps a refused connection to transient (not delivered)", async () => {
    const s = sender();
    await api.close();
    expect(await s.send("1", { text: "x" })).toEqual({ ok: false, kind: "transient", code: "ECONNREFUSED" });
    api = await startBotApi();
  });

  it("splits text longer than 4096 characters", async () => {
    const text = `${"á ".repeat(1500)}\n\n${"b ".repeat(1500)}\n\n${"c ".repeat(1500)}`;
    expect(await sender().send("1", { text })).toEqual({ ok: true });
    // Three 3000-character paragraphs: no two fit in one message, so one message each.
    expect(api.calls.filter((c) => c.method === "sendMessage")).toHaveLength(3);
  });
});

describe("callback data", () => {
  it("accepts short ids and refuses ids over 64 UTF-8 bytes", () => {
    expect(callbackData({ id: "course:abc123", label: "x" })).toBe("course:abc123");
    expect(() => callbackData({ id: "đ".repeat(33), label: "x" })).toThrow(RangeError); // 66 bytes, 33 chars
    expect(() => callbackData({ id: "", label: "x" })).toThrow(RangeError);
  });

  it("classifies unknown throwables as an unknown outcome (maybe delivered)", () => {
    expect(classifyTelegramError(new TypeError("fetch failed"))).toEqual({ ok: false, kind: "unknown", code: "network" });
  });
});
