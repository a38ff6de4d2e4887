/**
 * Signing in to the staff console the way staff do: a staff member types /web to the bot on
 * Telegram (telegram-test-api), gets a single-use link, opens it in Chromium and is signed in;
 * the same link then fails, and someone who is not staff typing /web gets no link.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botMessages, waitFor, type Emulator } from "../channels/telegram/emulator.js";
import { chromiumAvailable, startTelegramConsole, type TelegramConsole, screenshot } from "../console/browser.js";
import type { ConsoleApp } from "../console/console-app.js";

const TOKEN = "334455667:AAH-console-e2e-telegram-token";
const STAFF = 777;
const STRANGER = 4242;

describe.runIf(chromiumAvailable() || process.env.CI)("console sign-in through the bot on Telegram", () => {
  let emulator: Emulator;
  let c: ConsoleApp;
  let browser: Browser;
  let started: TelegramConsole | undefined;
  beforeAll(async () => {
    started = await startTelegramConsole("e2e_console_telegram", TOKEN);
    ({ emulator, c, browser } = started);
  }, 90_000);
  afterAll(async () => {
    await started?.stop();
  });

  /** The link in the bot's answer to /web from `chat`, or undefined when the answer has none. */
  async function askForLink(chat: number): Promise<{ link: string | undefined; text: string }> {
    const client = emulator.getClient(TOKEN, { userId: chat, chatId: chat, timeout: 5_000 });
    const before = botMessages(emulator, TOKEN, chat).length;
    await client.sendMessage(client.makeMessage("/web"));
    const text = await waitFor(emulator, () => botMessages(emulator, TOKEN, chat).slice(before)[0]?.text, 20_000);
    return { link: /(http:\/\/localhost:\d+\/console\/signin\/[A-Za-z0-9_-]+)/.exec(text)?.[1], text };
  }

  it("staff type /web, open the link and are signed in; the link then fails; a non-staff /web gets nothing", async () => {
    const { link, text } = await askForLink(STAFF);
    expect(link, text).toBeDefined();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "vi-VN" });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(link!);
    await screenshot(page, "signin");
    await page.click("#signin");
    await page.waitForURL(/\/console$/);
    expect(await page.locator("footer").textContent()).toContain(`telegram:${STAFF}`);

    // The same link in another browser: refused.
    const other = await browser.newContext({ locale: "vi-VN" });
    const second = await other.newPage();
    const response = await second.goto(link!);
    expect(response?.status()).toBe(410);
    expect(await second.locator("main").textContent()).toContain("đã được dùng");
    await other.close();
    await context.close();

    const stranger = await askForLink(STRANGER);
    expect(stranger.link).toBeUndefined();
    expect(stranger.text).not.toContain("/console/");
    // On the staff audit trail: the link asked for in chat, the sign-in in the browser; not the stranger.
    const audit = await c.repo.recentAudit(20);
    expect(audit.filter((e) => e.action === "staff_console_link").map((e) => [e.by, e.via])).toEqual([[`telegram:${STAFF}`, "chat"]]);
    expect(audit.filter((e) => e.action === "signin").map((e) => e.by)).toEqual([`telegram:${STAFF}`]);
  }, 120_000);
});
