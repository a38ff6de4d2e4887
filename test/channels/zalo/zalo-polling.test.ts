import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloChannel, type ZaloChannel } from "../../../src/channels/zalo/zalo-channel.js";
import { createMetrics, type Metrics } from "../../../src/server/metrics.js";
import { startFakeZaloServer, type FakeZaloServer } from "../../fakes/zalo-server.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot, longText } from "../fake-bot.js";

const TOKEN = "1234567890:zalo-secret-token-abc";

describe("Zalo channel, polling mode against the fake Bot API", () => {
  let fake: FakeZaloServer;
  let bot: FakeBot;
  let metrics: Metrics;
  let logger: ReturnType<typeof captureLogger>;
  let channel: ZaloChannel;

  beforeEach(async () => {
    fake = await startFakeZaloServer({ token: TOKEN, pollHoldMs: 50 });
    bot = new FakeBot();
    metrics = createMetrics();
    logger = captureLogger();
    channel = createZaloChannel({
      token: TOKEN,
      apiBase: fake.apiBase,
      bot,
      metrics,
      logger,
      pollBackoff: { baseMs: 10, capMs: 50 },
      retry: { baseMs: 10, capMs: 50 },
    });
    await channel.start();
  });

  afterEach(async () => {
    await channel.stop();
    await fake.close();
  });

  it("starts by checking the token and removing any webhook, then long-polls", async () => {
    expect(channel.mode).toBe("polling");
    expect(channel.running).toBe(true);
    await fake.waitForCalls((calls) => calls.some((c) => c.method === "getUpdates"));
    const methods = fake.calls.map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(["getMe", "deleteWebhook", "getUpdates"]);
  });

  it("shows a menu as a numbered list and passes a typed number on as text for the engine to match", async () => {
    fake.pushUpdate(fake.textUpdate("u-1", "/start"));
    const [menu] = await fake.waitForSent(1);
    expect(menu?.chatId).toBe("u-1");
    expect(menu?.text).toBe(
      "Chào mừng! Anh/chị cần gì?\n\n1. Chính sách hỗ trợ\n2. Đăng ký doanh nghiệp\n3. Khoá đào tạo",
    );
    fake.pushUpdate(fake.textUpdate("u-1", "2"));
    await fake.waitForSent(2);
    expect(bot.received[1]).toMatchObject({ kind: "text", text: "2", user: { channel: "zalo", userId: "u-1" } });
  });

  it("passes typed words and the display name through", async () => {
    fake.pushUpdate(fake.textUpdate("u-2", "đăng ký doanh nghiệp"));
    await fake.waitForSent(1);
    expect(bot.received[0]).toMatchObject({ kind: "text", text: "đăng ký doanh nghiệp", displayName: "Test User" });
  });

  it("splits a long text into parts under 2000 characters without cutting words", async () => {
    const expected = longText(30);
    fake.pushUpdate(fake.textUpdate("u-3", "long"));
    await bot.waitForReceived(1);
    await channel.stop(); // drains the update in flight
    const parts = fake.sent.map((m) => m.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join("\n\n")).toBe(expected);
  });

  it("answers image, sticker and unsupported events politely through the bot", async () => {
    const update = fake.textUpdate("u-4", "") as { event_name: string; message: Record<string, unknown> };
    update.event_name = "message.sticker.received";
    delete update.message.text;
    fake.pushUpdate(update);
    const [reply] = await fake.waitForSent(1);
    expect(bot.received[0]?.kind).toBe("unsupported");
    expect(reply?.text).toContain("Vui lòng");
  });

  it("keeps 408 polls quiet: no log lines, no backoff", async () => {
    await fake.waitForCalls((calls) => calls.filter((c) => c.outcome === "408").length >= 3);
    expect(logger.lines.filter((l) => l.level !== "info")).toEqual([]);
  });

  it("backs off on 5xx and recovers", async () => {
    fake.failNext("getUpdates", { status: 502, body: "<html>Bad Gateway</html>" }, 2);
    fake.failNext("getUpdates", { status: 500, body: { ok: false, error_code: 500, description: "Internal" } });
    await fake.waitForCalls((calls) => calls.filter((c) => c.outcome.startsWith("injected")).length === 3);
    fake.pushUpdate(fake.textUpdate("u-5", "hello"));
    const [reply] = await fake.waitForSent(1);
    expect(reply?.text).toBe("echo: hello");
    const warns = logger.lines.filter((l) => l.level === "warn");
    expect(warns).toHaveLength(3);
    expect(warns.map((w) => w.fields.failures)).toEqual([1, 2, 3]);
    expect(warns[0]?.fields.code).toBe(502);
    expect(logger.text()).not.toContain(TOKEN);
  });

  it("does not let one slow user block another, and keeps one user's updates in order", async () => {
    bot.holdSlow();
    fake.pushUpdate(fake.textUpdate("slow-user", "slow"));
    fake.pushUpdate(fake.textUpdate("slow-user", "after slow"));
    fake.pushUpdate(fake.textUpdate("fast-user", "hi"));
    const [first] = await fake.waitForSent(1);
    expect(first).toMatchObject({ chatId: "fast-user", text: "echo: hi" });
    bot.release();
    const sent = await fake.waitForSent(3);
    expect(sent.filter((m) => m.chatId === "slow-user").map((m) => m.text)).toEqual(["slow done", "echo: after slow"]);
  });

  it("survives a bot that throws, counting the error", async () => {
    fake.pushUpdate(fake.textUpdate("u-6", "boom"));
    fake.pushUpdate(fake.textUpdate("u-6", "still there?"));
    const [reply] = await fake.waitForSent(1);
    expect(reply?.text).toBe("echo: still there?");
    await channel.stop(); // drains: counters are final
    const text = await metrics.render();
    expect(text).toMatch(/bot_handler_errors_total\{channel="zalo"\} 1/);
    expect(text).toMatch(/bot_messages_sent_total\{channel="zalo"\} 1/);
    expect(logger.lines.find((l) => l.level === "error")?.fields).toMatchObject({ channel: "zalo", err: "Error" });
  });

  it("processes a re-delivered message id once", async () => {
    fake.pushUpdate(fake.textUpdate("u-7", "one", "same-id"));
    fake.pushUpdate(fake.textUpdate("u-7", "one", "same-id"));
    fake.pushUpdate(fake.textUpdate("u-7", "two"));
    await fake.waitForSent(2);
    expect(bot.received.map((i) => i.text)).toEqual(["one", "two"]);
    await channel.stop();
    expect(await metrics.render()).toMatch(/bot_updates_duplicate_total\{channel="zalo"\} 1/);
  });

  it("retries a reply after a 429 and sends it once", async () => {
    fake.failNext("sendMessage", { status: 429, body: { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 0.01 } } });
    fake.pushUpdate(fake.textUpdate("u-8", "hello"));
    const sent = await fake.waitForSent(1);
    expect(sent).toMatchObject([{ chatId: "u-8", text: "echo: hello" }]);
  });

  it("stops promptly while a long poll is outstanding", async () => {
    await fake.waitForCalls((calls) => calls.some((c) => c.method === "getUpdates"));
    await channel.stop();
    expect(channel.running).toBe(false);
    const before = fake.calls.length;
    fake.pushUpdate(fake.textUpdate("u-9", "anyone?"));
    expect(fake.calls.length).toBe(before);
  });

  it("stops within its drain bound even when the backlog is full of stuck work", async () => {
    await channel.stop();
    const stuckLogger = captureLogger();
    const stuck = createZaloChannel({
      token: TOKEN,
      apiBase: fake.apiBase,
      bot,
      metrics,
      logger: stuckLogger,
      concurrency: 1,
      maxPending: 1,
      drainTimeoutMs: 20,
    });
    bot.holdSlow();
    await stuck.start();
    fake.pushUpdate(fake.textUpdate("u-10", "slow"));
    await bot.waitForReceived(1);
    await stuck.stop(); // the poller waits for room; stop must not wait for it forever
    expect(stuckLogger.lines.some((l) => l.message === "stopped with updates still in flight")).toBe(true);
    bot.release();
  });

  it("tells the app when a reply finds the user gone", async () => {
    await channel.stop();
    const gone: [string, string][] = [];
    const other = createZaloChannel({
      token: TOKEN,
      apiBase: fake.apiBase,
      bot,
      metrics,
      logger,
      onUnreachable: (userId, code) => void gone.push([userId, code]),
    });
    await other.start();
    fake.failNext("sendMessage", { status: 403, body: { ok: false, error_code: 403, description: "Forbidden" } });
    fake.pushUpdate(fake.textUpdate("gone-user", "hello"));
    await bot.waitForReceived(1);
    await other.stop();
    expect(gone).toEqual([["gone-user", "403"]]);
    expect(fake.sent).toEqual([]);
  });
});
