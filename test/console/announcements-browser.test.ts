/**
 * The announcements page in Chromium against the real app with a Telegram channel on the
 * emulator: compose (the preview and the count update as one types and picks), send to 50
 * subscribed people, and the page follows the sending by itself (htmx polling, no reload) until
 * the report says 50 sent; the emulator got exactly 50 messages, each with the closing line.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSubscriptionRepo } from "../../src/db/subscription-repo.js";
import type { Emulator } from "../channels/telegram/emulator.js";
import { chromiumAvailable, startTelegramConsole, type TelegramConsole, screenshot, screenshotBoth, signedInPage } from "./browser.js";
import type { ConsoleApp } from "./console-app.js";

const TOKEN = "334455667:AAH-console-announcements-token";
const PEOPLE = Array.from({ length: 50 }, (_, i) => String(6000 + i));
const TEXT = "Hội thảo nâng cao năng suất chất lượng ngày 10/12 tại Nha Trang.";

describe.runIf(chromiumAvailable() || process.env.CI)("announcements in Chromium", () => {
  let emulator: Emulator;
  let c: ConsoleApp;
  let browser: Browser;
  let started: TelegramConsole | undefined;
  const sentToPeople = () => emulator.storage.botMessages.filter((m) => m.botToken === TOKEN && PEOPLE.includes(String(m.message.chat_id)));

  beforeAll(async () => {
    // 10 a second: the sending takes a few seconds, so the page shows it under way.
    started = await startTelegramConsole("console_announcements_browser", TOKEN, { TELEGRAM_RATE_PER_SEC: "10" });
    ({ emulator, c, browser } = started);
    // Fifty people who talked to the bot and said yes to announcements (as /subscribe records it).
    await c.db.models.contact.insertMany(PEOPLE.map((id) => ({ _id: `telegram:${id}`, channel: "telegram", userId: id, locale: "vi", lastSeenAt: new Date() })));
    const subscriptions = createSubscriptionRepo(c.db);
    for (const id of PEOPLE) await subscriptions.set(`telegram:${id}`, true);
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  });

  it("composes, sends to 50, follows the progress by itself until the report says 50 sent", async () => {
    const { context, page } = await signedInPage(browser, c);
    const problems: string[] = [];
    page.on("console", (m) => (m.type() === "error" ? problems.push(m.text()) : undefined));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${c.base}/console/announcements`);
    await page.click("#new-announcement");
    await page.waitForURL(/\/console\/announcements\/new$/);

    // The count arrives by itself; the preview follows the typing.
    await page.locator("#recipient-count strong").waitFor();
    expect(await page.locator("#recipient-count strong").textContent()).toContain("50");
    await page.fill("#text_vi", TEXT);
    const bubble = page.locator('[data-locale="vi"] [data-channel="zalo"] .chat-bubble').first();
    await bubble.waitFor();
    expect(await bubble.textContent()).toContain(TEXT);
    expect(await bubble.textContent()).toContain("/unsubscribe");
    await page.selectOption("#audience_kind", "lang_en");
    await page.locator("#recipient-count strong", { hasText: /\b0\b/ }).waitFor();
    await page.selectOption("#audience_kind", "all");
    await page.locator("#recipient-count strong", { hasText: "50" }).waitFor();
    await screenshot(page, "announcement-compose", "desktop");
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, "announcement-compose", "phone");
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.click("#send");
    await page.waitForURL(/\/console\/announcements\/[a-z0-9]+$/);
    const id = /\/announcements\/([a-z0-9]+)$/.exec(page.url())![1]!;
    // A mark on the window: it survives only if the page is never reloaded (htmx swaps the status).
    await page.evaluate(() => ((globalThis as unknown as { mark: number }).mark = 42));
    const seen = new Set<string>();
    const deadline = Date.now() + 90_000;
    for (;;) {
      const status = await page.locator("#status").getAttribute("data-status");
      if (status) seen.add(status);
      if (status === "done" || Date.now() > deadline) break;
      await page.waitForTimeout(200);
    }
    expect(await page.locator("#status").getAttribute("data-status")).toBe("done");
    expect(seen.has("sending")).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as { mark?: number }).mark)).toBe(42);
    expect(await page.locator('#status [data-count="sent"]').textContent()).toBe("50");
    expect(await page.locator('#status [data-count="failed"]').textContent()).toBe("0");
    expect(await page.locator('#status [data-count="in_doubt"]').textContent()).toBe("0");
    // Nothing to resend: no resend button.
    expect(await page.locator("#resend").count()).toBe(0);

    const sent = sentToPeople();
    expect(sent).toHaveLength(50);
    expect(new Set(sent.map((m) => String(m.message.chat_id))).size).toBe(50);
    for (const m of sent) expect(String(m.message.text)).toMatch(new RegExp(`^${TEXT.replace(/[.]/g, "\\.")}\\n\\n.*/unsubscribe`));
    // Still 50 a moment later: nobody got it twice.
    await page.waitForTimeout(1_500);
    expect(sentToPeople()).toHaveLength(50);
    expect(problems).toEqual([]);
    await context.close();

    await screenshotBoth(browser, c, `/console/announcements/${id}`, "announcement-report");
    await screenshotBoth(browser, c, "/console/announcements", "announcements");
  }, 180_000);
});
