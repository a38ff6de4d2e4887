import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../../src/channels/telegram/telegram-channel.js";
import { createMetrics, type Metrics } from "../../../src/server/metrics.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot, longText, MENU } from "../fake-bot.js";
import { translate } from "../translate.js";
import { botMessages, startEmulator, waitFor, type Emulator } from "./emulator.js";

const TOKEN = "123456789:AAH-telegram-test-token";

describe("Telegram channel, long polling against telegram-test-api", () => {
  let server: Emulator;
  let bot: FakeBot;
  let metrics: Metrics;
  let logger: ReturnType<typeof captureLogger>;
  let channel: TelegramChannel;
  let client: ReturnType<Emulator["getClient"]>;

  beforeEach(async () => {
    server = await startEmulator();
    client = server.getClient(TOKEN, { timeout: 5_000 });
    bot = new FakeBot();
    metrics = createMetrics();
    logger = captureLogger();
    channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: server.config.apiURL,
      bot,
      metrics,
      logger,
      translate,
      idlePollDelayMs: 10,
      pollBackoff: { baseMs: 10, capMs: 50 },
      retry: { baseMs: 10, capMs: 50 },
    });
    await channel.start();
  });

  afterEach(async () => {
    await channel.stop();
    await server.stop();
  });

  const messages = () => botMessages(server, TOKEN);
  const atLeast = (n: number) => () => (messages().length >= n ? messages() : undefined);

  it("shows /start's menu as an inline keyboard with the choice ids as callback data", async () => {
    await client.sendCommand(client.makeCommand("/start", { from: { language_code: "en" } }));
    const [menu] = await waitFor(server, atLeast(1));
    expect(menu?.text).toBe(MENU.text);
    expect(menu?.replyMarkup?.inline_keyboard).toEqual([
      [{ text: "Chính sách hỗ trợ", callback_data: "policies" }],
      [{ text: "Đăng ký doanh nghiệp", callback_data: "register" }],
      [{ text: "Khoá đào tạo", callback_data: "courses" }],
    ]);
    expect(bot.received[0]).toMatchObject({
      kind: "text",
      text: "/start",
      localeHint: "en",
      displayName: "TestName",
      user: { channel: "telegram", userId: "1" },
    });
  });

  it("delivers a button press as a choice, marks the keyboard, and ignores a replayed press", async () => {
    await client.sendCommand(client.makeCommand("/start"));
    const [menu] = await waitFor(server, atLeast(1));
    if (!menu) throw new Error("no menu");
    const press = client.makeCallbackQuery("register", {
      message: { message_id: menu.messageId, reply_markup: menu.replyMarkup },
    });
    await client.sendCallback(press);
    const [, reply] = await waitFor(server, atLeast(2));
    expect(reply?.text).toBe("Đã chọn: register");
    expect(bot.received[1]).toMatchObject({ kind: "choice", choiceId: "register" });
    // The pressed keyboard now shows only the taken choice, inert.
    const marked = messages()[0]?.replyMarkup?.inline_keyboard;
    expect(marked).toEqual([[{ text: "✓ Đăng ký doanh nghiệp", callback_data: "~" }]]);

    // Replays: the same old button again, and the inert mark. Then a text, which (same chat,
    // in order) is handled after both presses.
    await client.sendCallback(client.makeCallbackQuery("policies", { message: { message_id: menu.messageId } }));
    await client.sendCallback(client.makeCallbackQuery("~", { message: { message_id: menu.messageId } }));
    await client.sendMessage(client.makeMessage("ping"));
    const all = await waitFor(server, atLeast(3));
    expect(all[2]?.text).toBe("echo: ping");
    expect(bot.received.map((i) => i.kind)).toEqual(["text", "choice", "text"]);
    // Ignored presses still count as handled, so received = duplicate + handled + errors.
    await channel.stop();
    const text = await metrics.render();
    expect(text).toMatch(/bot_updates_received_total\{channel="telegram"\} 5/);
    expect(text).toMatch(/bot_updates_handled_total\{channel="telegram"\} 5/);
  });

  it("splits a long text on paragraph boundaries under 4096 characters", async () => {
    await client.sendMessage(client.makeMessage("long"));
    await waitFor(server, () => (bot.received.length === 1 ? true : undefined));
    await channel.stop(); // drains the reply in flight
    const parts = messages().map((m) => m.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(parts.join("\n\n")).toBe(longText(30));
  });

  it("passes typed words through as text and non-text messages as unsupported", async () => {
    await client.sendMessage(client.makeMessage("đăng ký doanh nghiệp"));
    await client.sendMessage(client.makeMessage("", { text: undefined, sticker: { file_id: "x" } }));
    await waitFor(server, atLeast(2));
    expect(bot.received.map((i) => i.kind)).toEqual(["text", "unsupported"]);
    expect(bot.received[0]?.text).toBe("đăng ký doanh nghiệp");
  });

  it("keeps running after the bot throws and counts it", async () => {
    await client.sendMessage(client.makeMessage("boom"));
    await client.sendMessage(client.makeMessage("after"));
    const [reply] = await waitFor(server, atLeast(1));
    expect(reply?.text).toBe("echo: after");
    await channel.stop();
    const text = await metrics.render();
    expect(text).toMatch(/bot_handler_errors_total\{channel="telegram"\} 1/);
    expect(text).toMatch(/bot_updates_received_total\{channel="telegram"\} 2/);
    expect(text).toMatch(/bot_updates_handled_total\{channel="telegram"\} 1/);
    expect(text).toMatch(/bot_messages_sent_total\{channel="telegram"\} 1/);
  });

  it("does not block other chats behind a slow one", async () => {
    bot.holdSlow();
    const other = server.getClient(TOKEN, { userId: 2, chatId: 2, timeout: 5_000 });
    await client.sendMessage(client.makeMessage("slow"));
    await other.sendMessage(other.makeMessage("hi"));
    const [fast] = await waitFor(server, () => {
      const m = botMessages(server, TOKEN, 2);
      return m.length ? m : undefined;
    });
    expect(fast?.text).toBe("echo: hi");
    expect(messages()).toEqual([]);
    bot.release();
    const [slow] = await waitFor(server, atLeast(1));
    expect(slow?.text).toBe("slow done");
  });

  it("logs the unsupported setMyCommands of the emulator as a warning without the token", () => {
    const warn = logger.lines.find((l) => l.message === "setMyCommands failed");
    expect(warn?.level).toBe("warn");
    expect(logger.text()).not.toContain(TOKEN.split(":")[1]);
  });
});
