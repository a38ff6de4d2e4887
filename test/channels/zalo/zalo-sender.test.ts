import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/server/metrics.js";
import { createZaloChannel } from "../../../src/channels/zalo/zalo-channel.js";
import { startFakeZaloServer, type FakeZaloServer } from "../../fakes/zalo-server.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";

const TOKEN = "777:zalo-sender-token";

describe("Zalo sender (reminders, broadcasts)", () => {
  let fake: FakeZaloServer;
  const metrics = createMetrics();
  const sender = () =>
    createZaloChannel({ token: TOKEN, apiBase: fake.apiBase, bot: new FakeBot(), metrics, logger: captureLogger(), retry: { baseMs: 1, capMs: 5 } })
      .sender;

  beforeEach(async () => {
    fake = await startFakeZaloServer({ token: TOKEN });
  });
  afterEach(async () => {
    await fake.close();
  });

  const err = (status: number, error_code: number, description: string, extra: object = {}) => ({
    status,
    body: { ok: false, error_code, description, ...extra },
  });

  it("sends a message with numbered choices without starting the channel", async () => {
    const result = await sender().send("user-1", { text: "Nhắc lịch", choices: [{ id: "ok", label: "Đã rõ" }] });
    expect(result).toEqual({ ok: true });
    expect(fake.sent).toMatchObject([{ chatId: "user-1", text: "Nhắc lịch\n\n1. Đã rõ" }]);
  });

  it("maps 429 to rate_limited with the platform's hint, and does not send twice", async () => {
    fake.failNext("sendMessage", err(429, 429, "Too Many Requests", { parameters: { retry_after: 2 } }));
    expect(await sender().send("u", { text: "x" })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 2000 });
    fake.failNext("sendMessage", err(429, 429, "Too Many Requests"));
    expect(await sender().send("u", { text: "x" })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 1000 });
    expect(fake.sent).toEqual([]);
  });

  it("maps 403 and a gone chat to unreachable, a 5xx to unknown (maybe delivered), a refused connection to transient", async () => {
    fake.failNext("sendMessage", err(403, 403, "Forbidden: user blocked the bot"));
    expect(await sender().send("u", { text: "x" })).toEqual({ ok: false, kind: "unreachable", code: "403" });
    fake.failNext("sendMessage", err(400, 400, "Bad Request: chat not found"));
    expect(await sender().send("u", { text: "x" })).toEqual({ ok: false, kind: "unreachable", code: "400" });
    fake.failNext("sendMessage", { status: 503, body: "unavailable" });
    expect(await sender().send("u", { text: "x" })).toEqual({ ok: false, kind: "unknown", code: "503" });
    const s = sender();
    await fake.close();
    // A kept-alive socket the server dropped: the request may have been written, so unknown.
    expect(await s.send("u", { text: "x" })).toMatchObject({ ok: false, kind: "unknown" });
    const refused = createZaloChannel({ token: TOKEN, apiBase: "http://127.0.0.1:1", bot: new FakeBot(), metrics, logger: captureLogger() }).sender;
    expect(await refused.send("u", { text: "x" })).toEqual({ ok: false, kind: "transient", code: "ECONNREFUSED" });
    fake = await startFakeZaloServer({ token: TOKEN });
    expect(await metrics.render()).toMatch(/bot_send_failures_total\{channel="zalo",reason="unreachable"\} 2/);
  });

  it("retries a later part of a long message after a 429, so earlier parts are not repeated", async () => {
    fake.failNext("sendMessage", { status: 200, body: { ok: true, result: { message_id: "a" } } });
    const long = `${"a ".repeat(900)}\n\n${"b ".repeat(900)}`;
    // First part goes through (the injected ok above), the second hits one 429 and is retried.
    fake.failNext("sendMessage", err(429, 429, "slow down", { parameters: { retry_after: 0.001 } }));
    const result = await sender().send("u", { text: long });
    expect(result).toEqual({ ok: true });
    expect(fake.sent.map((m) => m.text[0])).toEqual(["b"]);
  });
});
