import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloChannel, type ZaloChannel } from "../../src/channels/zalo/zalo-channel.js";
import { createHttpServer, type HttpServer } from "../../src/server/http-server.js";
import { createMetrics, type Metrics } from "../../src/server/metrics.js";
import { captureLogger } from "../channels/capture-logger.js";
import { FakeBot, longText } from "../channels/fake-bot.js";
import { freePort } from "../channels/telegram/emulator.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";

const TOKEN = "5550001:zalo-webhook-token";
const SECRET = "zalo-webhook-secret-42";

describe("Zalo channel, webhook mode through the HTTP server", () => {
  let fake: FakeZaloServer;
  let bot: FakeBot;
  let metrics: Metrics;
  let channel: ZaloChannel;
  let http: HttpServer;
  let base: string;

  beforeEach(async () => {
    fake = await startFakeZaloServer({ token: TOKEN });
    bot = new FakeBot();
    metrics = createMetrics();
    const logger = captureLogger();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    channel = createZaloChannel({
      token: TOKEN,
      apiBase: fake.apiBase,
      webhook: { url: `${base}/webhooks/zalo`, secret: SECRET },
      bot,
      metrics,
      logger,
      retry: { baseMs: 10, capMs: 50 },
    });
    http = createHttpServer({
      port,
      host: "127.0.0.1",
      channels: [channel],
      ready: async () => ({ ok: channel.running, checks: { zalo: channel.running } }),
      metrics,
      logger,
    });
    await http.listen();
    await channel.start();
  });

  afterEach(async () => {
    await http.close();
    await channel.stop();
    await fake.close();
  });

  const deliver = (body: unknown, secret?: string) =>
    fetch(`${base}/webhooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret ? { "x-bot-api-secret-token": secret } : {}) },
      body: JSON.stringify(body),
    });

  it("sets the webhook with its secret at start and never polls", () => {
    expect(fake.webhook).toEqual({ url: `${base}/webhooks/zalo`, secret_token: SECRET });
    expect(fake.calls.map((c) => c.method)).toEqual(["getMe", "setWebhook"]);
  });

  it("rejects a wrong or missing secret with 401 and changes nothing", async () => {
    expect((await deliver(fake.textUpdate("z-1", "/start"), "wrong-secret")).status).toBe(401);
    expect((await deliver(fake.textUpdate("z-1", "/start"))).status).toBe(401);
    expect((await deliver(fake.textUpdate("z-1", "ping"), SECRET)).status).toBe(200);
    const sent = await fake.waitForSent(1);
    expect(sent).toMatchObject([{ chatId: "z-1", text: "echo: ping" }]);
    expect(bot.received.map((i) => i.text)).toEqual(["ping"]);
  });

  it("accepts both a bare update and one wrapped as { ok, result }, menus as numbered text", async () => {
    expect((await deliver(fake.textUpdate("z-2", "/start"), SECRET)).status).toBe(200);
    await fake.waitForSent(1);
    expect((await deliver({ ok: true, result: fake.textUpdate("z-2", "3") }, SECRET)).status).toBe(200);
    const sent = await fake.waitForSent(2);
    expect(sent[0]?.text).toMatch(/\n\n1\. Chính sách hỗ trợ\n2\. Đăng ký doanh nghiệp\n3\. Khoá đào tạo$/);
    expect(sent[1]?.text).toBe("echo: 3");
  });

  it("splits a long reply under 2000 characters and counts the traffic", async () => {
    await deliver(fake.textUpdate("z-3", "long"), SECRET);
    await bot.waitForReceived(1);
    await channel.stop();
    const parts = fake.sent.map((m) => m.text);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join("\n\n")).toBe(longText(30));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/bot_updates_received_total\{channel="zalo"\} 1/);
    expect(text).toMatch(new RegExp(`bot_messages_sent_total\\{channel="zalo"\\} ${parts.length}`));
    expect(text).toMatch(/bot_handler_duration_seconds_count\{channel="zalo"\} 1/);
  });

  it("processes a re-delivered message once and rejects bodies that are not updates", async () => {
    const u = fake.textUpdate("z-4", "once", "dup-1");
    expect((await deliver(u, SECRET)).status).toBe(200);
    expect((await deliver(u, SECRET)).status).toBe(200);
    expect((await deliver({ event_name: "message.text.received" }, SECRET)).status).toBe(400);
    await deliver(fake.textUpdate("z-4", "twice"), SECRET);
    await fake.waitForSent(2);
    expect(bot.received.map((i) => i.text)).toEqual(["once", "twice"]);
  });

  it("refuses malformed updates at the edge: 400, a bare body, counted, nothing reaches the bot", async () => {
    const ok = { event_name: "message.text.received", message: { message_id: "m1", date: 1, text: "hi", chat: { id: "z-9" }, from: { id: "z-9" } } };
    const bodies: unknown[] = [
      { event_name: "message.text.received", message: null },
      { event_name: "message.text.received", message: {} },
      { ...ok, message: { ...ok.message, chat: undefined } },
      { ...ok, message: { ...ok.message, text: 42 } },
      { ...ok, message: { ...ok.message, text: { a: 1 } } },
      { ...ok, message: { ...ok.message, from: { id: { $gt: "" } } } },
      { ok: true, result: { message: ok.message } },
      "just a string",
    ];
    for (const body of bodies) {
      const res = await deliver(body, SECRET);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.text()).toBe('{"ok":false}');
    }
    expect(bot.received).toEqual([]);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/bot_updates_invalid_total\{channel="zalo"\} 8/);
  });
});
