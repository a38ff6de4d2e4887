/**
 * The web chat in a real browser (playwright-core driving the system Chromium) against the
 * real app and database: an enterprise registration by buttons and typing with a reload in the
 * middle, user text shown as text, the language switch, the widget on an allowed site (works)
 * and on another site (refused), and screenshots at desktop and phone widths (test-artifacts/).
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/log.js";
import { chromiumAvailable, chromiumLaunchOptions } from "../helpers/browser.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

const DB = "e2e_web_browser";
const ARTIFACTS = resolve(import.meta.dirname, "..", "..", "test-artifacts");
const available = chromiumAvailable();

/** A site that embeds the widget, on a loopback port of its own (another origin than the bot). */
async function hostSite(body: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Host</title></head><body><h1>Sở KH&amp;CN</h1>${body()}</body></html>`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.runIf(available || process.env.CI)("web chat in Chromium", () => {
  let db: Database;
  let app: App;
  let bot: string;
  let browser: Browser;
  let context: BrowserContext;
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };

  beforeAll(async () => {
    const widgetTag = () => `<script src="${bot}/widget.js" defer></script>`;
    allowed = await hostSite(widgetTag);
    other = await hostSite(() => `${widgetTag()}<iframe id="manual" title="chat" src="${bot}/chat"></iframe>`);
    db = await openTestDatabase(DB);
    const parsed = parseConfig({
      MONGODB_URI: testDatabaseUri(DB), TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", WEB_COOKIE_SECRET: "browser-test-cookie-secret-0123456789abcdef",
      WEB_ALLOWED_ORIGINS: allowed.origin, WEB_RATE_PER_MINUTE: "600", DATA_DIR: mkdtempSync(join(tmpdir(), "nscl-web-browser-")),
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    app = await createApp({ config: parsed.config, db, logger: createLogger({ level: "warn", file: join(mkdtempSync(join(tmpdir(), "nscl-web-browser-log-")), "bot.log") }) });
    await app.start();
    // "localhost" is another site than 127.0.0.1: the widget's frame is a real third-party frame.
    bot = `http://localhost:${app.httpPort}`;
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch(chromiumLaunchOptions);
    context = await browser.newContext({ locale: "vi-VN", viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(20_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await db?.close();
    allowed?.server.close();
    other?.server.close();
  });

  /** Waits for the latest bot message to contain `text`. */
  const botSays = (where: Page | Frame, text: RegExp) => where.locator(".msg.bot").filter({ hasText: text }).last().waitFor();
  const press = (where: Page | Frame, label: RegExp) => where.locator(".choices button").filter({ hasText: label }).first().click();
  async function type(where: Page | Frame, text: string): Promise<void> {
    await where.locator("#text").fill(text);
    await where.locator("#text").press("Enter");
  }

  it("registers an enterprise by buttons and typing, survives a reload, switches language; screenshots", async () => {
    const page = await context.newPage();
    await page.goto(`${bot}/chat`);
    await botSays(page, /Bạn muốn tìm hiểu|chọn/i);
    expect(await page.locator("#lang").inputValue()).toBe("vi");

    await press(page, /Đăng ký doanh nghiệp/);
    await botSays(page, /có đồng ý/i);
    await press(page, /^Có$/);
    await botSays(page, /Tên Quý doanh nghiệp/);
    await type(page, "Công ty TNHH Trình Duyệt");
    await press(page, /Mã số thuế doanh nghiệp/);
    await botSays(page, /Mã số thuế của doanh nghiệp là gì/);
    await type(page, "0100109106");
    await botSays(page, /lĩnh vực nào/);

    // A reload in the middle: the conversation and the current question's buttons come back.
    await page.reload();
    await botSays(page, /lĩnh vực nào/);
    expect(await page.locator(".msg.user").filter({ hasText: "Công ty TNHH Trình Duyệt" }).count()).toBe(1);
    await press(page, /Dịch vụ, du lịch/);
    await press(page, /^Nhỏ$/);
    await botSays(page, /Địa chỉ/);
    await type(page, "12 Trần Phú, Nha Trang");
    await botSays(page, /Họ và tên người liên hệ/);
    await type(page, "Nguyễn Văn An");
    await botSays(page, /Số điện thoại/);
    await type(page, "0912345678");
    await botSays(page, /Email/);
    await press(page, /Bỏ qua/);
    await botSays(page, /nội dung hỗ trợ/);
    await press(page, /Đào tạo, tập huấn/);
    await press(page, /^Xong$/);
    await botSays(page, /kiểm tra lại thông tin/);
    await page.screenshot({ path: join(ARTIFACTS, "web-chat-desktop.png") });
    await press(page, /^Có$/);
    await page.locator(".msg.bot").filter({ hasText: /Công ty TNHH Trình Duyệt/ }).last().waitFor();
    await expect.poll(async () => (await db.models.enterprise.findOne({ taxCode: "0100109106" }).lean())?.name, { timeout: 20_000 }).toBe("Công ty TNHH Trình Duyệt");

    // The language switch: the page's texts at once, the bot's next answers too.
    await page.locator("#lang").selectOption("en");
    await expect.poll(() => page.locator("#send").textContent()).toBe("Send");
    await type(page, "/help");
    await botSays(page, /[Hh]elp|command|menu/);
    // User text is text: markup typed by a visitor is shown as typed, never parsed.
    await type(page, "<img src=x onerror=\"document.title='owned'\"><b>xin chao</b>");
    await page.locator(".msg.user").filter({ hasText: "<b>xin chao</b>" }).waitFor();
    expect(await page.locator("#log img, #log b").count()).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.title()).not.toBe("owned");

    // A 360-px phone: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(ARTIFACTS, "web-chat-phone.png") });
    await page.close();
  }, 120_000);

  it("the widget opens the chat on an allowed site", async () => {
    const page = await context.newPage();
    await page.goto(`${allowed.origin}/`);
    await page.locator("#nscl-chat-button").click();
    const frame = page.frameLocator("#nscl-chat-frame");
    await frame.locator(".choices button").filter({ hasText: /Đăng ký doanh nghiệp/ }).first().waitFor();
    await frame.locator("#text").fill("/help");
    await frame.locator("#text").press("Enter");
    await frame.locator(".msg.user").filter({ hasText: "/help" }).waitFor();
    await expect.poll(async () => frame.locator(".msg.bot").count()).toBeGreaterThan(2);
    await page.screenshot({ path: join(ARTIFACTS, "widget-desktop.png") });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(ARTIFACTS, "widget-phone.png") });
    await page.close();
  }, 60_000);

  it("another site gets no chat: no bubble, the framed page is refused, its WebSocket too", async () => {
    const page = await context.newPage();
    const warned = page.waitForEvent("console", { predicate: (m) => m.text().includes("not allowed to embed"), timeout: 20_000 });
    await page.goto(`${other.origin}/`, { waitUntil: "load" });
    await warned;
    expect(await page.locator("#nscl-chat-button").count()).toBe(0);
    // frame-ancestors: the browser does not show /chat inside another site's page.
    for (const frame of page.frames()) expect(await frame.locator("#composer").count()).toBe(0);
    const socket = await page.evaluate(async (url) => {
      return new Promise<string>((done) => {
        const ws = new WebSocket(url);
        ws.onopen = () => done("open");
        ws.onclose = () => done("closed");
      });
    }, `${bot.replace("http", "ws")}/chat/socket`);
    expect(socket).toBe("closed");
    await page.close();
  }, 60_000);
});

if (!available && !process.env.CI) {
  describe("web chat in Chromium", () => {
    it.skip("skipped: no Chromium installed (apt-get install -y chromium)", () => {});
  });
}
