import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { createHttpServer, type HttpServer } from "../../src/server/http-server.js";
import { createMetrics, type Metrics } from "../../src/server/metrics.js";
import { captureLogger } from "../channels/capture-logger.js";
import { FakeBot } from "../channels/fake-bot.js";
import { botMessages, freePort, startEmulator, waitFor, type Emulator } from "../channels/telegram/emulator.js";

const TOKEN = "987654321:AAF-webhook-test-token";
const SECRET = "tg-webhook-secret_123";

describe("Telegram channel, webhook mode through the HTTP server", () => {
  let emulator: Emulator;
  let bot: FakeBot;
  let metrics: Metrics;
  let channel: TelegramChannel;
  let http: HttpServer;
  let base: string;

  beforeEach(async () => {
    emulator = await startEmulator();
    bot = new FakeBot();
    metrics = createMetrics();
    const logger = captureLogger();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: emulator.config.apiURL,
      webhook: { url: `${base}/webhooks/telegram`, secret: SECRET },
      bot,
      metrics,
      logger,
      retry: { baseMs: 10, capMs: 50 },
    });
    http = createHttpServer({
      port,
      host: "127.0.0.1",
      channels: [channel],
      ready: async () => ({ ok: channel.running, checks: { telegram: channel.running } }),
      metrics,
      logger,
    });
    await http.listen();
    await channel.start();
  });

  afterEach(async () => {
    await http.close();
    await channel.stop();
    await emulator.stop();
  });

  let nextId = 1000;
  const update = (text: string, updateId = nextId++) => ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      text,
      chat: { id: 1, type: "private", first_name: "Test" },
      from: { id: 1, is_bot: false, first_name: "Test", language_code: "vi" },
    },
  });
  const deliver = (body: unknown, secret?: string) =>
    fetch(`${base}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}) },
      body: JSON.stringify(body),
    });

  it("registers the webhook with its secret at start", () => {
    expect(channel.mode).toBe("webhook");
    // telegram-test-api keeps what setWebhook received per token.
    const hooks = (emulator as unknown as { webhooks: Record<string, { url: string; secret_token?: string }> }).webhooks;
    expect(hooks[TOKEN]).toMatchObject({ url: `${base}/webhooks/telegram`, secret_token: SECRET });
  });

  it("rejects a delivery with a wrong or missing secret (401) and processes nothing", async () => {
    expect((await deliver(update("/start"), "not-the-secret")).status).toBe(401);
    expect((await deliver(update("/start"))).status).toBe(401);
    expect((await deliver(update("ping"), SECRET)).status).toBe(200);
    const [reply] = await waitFor(emulator, () => {
      const m = botMessages(emulator, TOKEN);
      return m.length ? m : undefined;
    });
    expect(reply?.text).toBe("echo: ping");
    expect(bot.received.map((i) => i.text)).toEqual(["ping"]);
  });

  it("processes a re-delivered update_id once", async () => {
    const first = update("/start", 42);
    expect((await deliver(first, SECRET)).status).toBe(200);
    expect((await deliver(first, SECRET)).status).toBe(200);
    expect((await deliver(update("after", 43), SECRET)).status).toBe(200);
    await waitFor(emulator, () => (botMessages(emulator, TOKEN).length >= 2 ? true : undefined));
    await channel.stop();
    expect(bot.received.map((i) => i.text)).toEqual(["/start", "after"]);
    const [menu] = botMessages(emulator, TOKEN);
    expect(menu?.replyMarkup?.inline_keyboard.length).toBe(3);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/bot_updates_received_total\{channel="telegram"\} 3/);
    expect(text).toMatch(/bot_updates_duplicate_total\{channel="telegram"\} 1/);
    expect(text).toMatch(/bot_updates_handled_total\{channel="telegram"\} 2/);
    expect(text).toMatch(/bot_messages_sent_total\{channel="telegram"\} 2/);
  });

  it("handleUpdate takes the webhook's path without HTTP: resolves once handled, a repeated update_id is a duplicate", async () => {
    const first = update("/start", 77) as never;
    expect(await channel.handleUpdate(first)).toBe("handled");
    // Resolved after the handling: the bot has it and its reply went out.
    expect(bot.received.map((i) => i.text)).toEqual(["/start"]);
    expect(botMessages(emulator, TOKEN)).toHaveLength(1);
    expect(await channel.handleUpdate(first)).toBe("duplicate");
    expect(bot.received).toHaveLength(1);
  });

  it("refuses malformed updates at the edge: 4xx, a bare body, counted, nothing reaches the bot", async () => {
    const valid = update("hi", 500).message;
    const bodies: unknown[] = [
      { update_id: 501, message: null },
      { update_id: 502, message: {} },
      { update_id: 503, message: { ...valid, chat: undefined } },
      { update_id: 504, callback_query: {} },
      { update_id: 505, message: { ...valid, text: 12345 } },
      { update_id: 506, message: { ...valid, text: { a: 1 } } },
      { update_id: 507, message: { ...valid, from: { id: { $gt: 0 }, is_bot: false, first_name: "X" } } },
      { update_id: 508, callback_query: { id: "q", from: { id: 1 }, message: { chat: null } } },
      { update_id: "509", message: valid },
      [1, 2, 3],
    ];
    for (const body of bodies) {
      const res = await deliver(body, SECRET);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.text()).toBe('{"ok":false}');
    }
    // Not even JSON: still a bare 4xx, never the parser's message.
    const garbled = await fetch(`${base}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: "{not json",
    });
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toBe('{"ok":false}');
    // A valid one still goes through.
    expect((await deliver(update("still fine", 510), SECRET)).status).toBe(200);
    await waitFor(emulator, () => (botMessages(emulator, TOKEN).length >= 1 ? true : undefined));
    expect(bot.received.map((i) => i.text)).toEqual(["still fine"]);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/bot_updates_invalid_total\{channel="telegram"\} 10/);
  });

  it("answers 400 to a body that is not an update, and 503 from /readyz once stopped", async () => {
    expect((await deliver({ hello: "world" }, SECRET)).status).toBe(400);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await channel.stop();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    // A stopped channel refuses deliveries with 503 so Telegram retries later.
    expect((await deliver(update("late"), SECRET)).status).toBe(503);
    expect(bot.received).toEqual([]);
  });
});
