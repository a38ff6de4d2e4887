/**
 * The console in a real Chromium (playwright-core, the system browser): a signed-in page, and
 * screenshots at desktop and phone widths under test-artifacts/console/.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { chromiumLaunchOptions } from "../helpers/browser.js";
import { startEmulator, type Emulator } from "../channels/telegram/emulator.js";
import { CONFIGURED_STAFF, startConsoleApp, type ConsoleApp } from "./console-app.js";

export { chromiumAvailable } from "../helpers/browser.js";

/** Where screenshots go (CI keeps test-artifacts/). */
export const CONSOLE_ARTIFACTS = resolve(import.meta.dirname, "..", "..", "test-artifacts", "console");

/** Starts the browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/** The two widths every page is looked at. */
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** A new browser context signed in to the console as `staffKey` (through a fresh single-use link, as /web gives). */
export async function signedInPage(browser: Browser, c: ConsoleApp, options: { staffKey?: string; viewport?: keyof typeof VIEWPORTS; locale?: "vi-VN" | "en-GB" } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORTS[options.viewport ?? "desktop"], locale: options.locale ?? "vi-VN", acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const token = await c.repo.issueLink(options.staffKey ?? CONFIGURED_STAFF, new Date(), 10 * 60_000);
  await page.goto(`${c.base}/console/signin/${token}`);
  await page.click("#signin");
  await page.waitForURL(/\/console$/);
  return { context, page };
}

/** Saves `page` as test-artifacts/console/<name>-<viewport>.png (full page). */
export async function screenshot(page: Page, name: string, viewport: keyof typeof VIEWPORTS = "desktop"): Promise<string> {
  mkdirSync(CONSOLE_ARTIFACTS, { recursive: true });
  const path = resolve(CONSOLE_ARTIFACTS, `${name}-${viewport}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Screenshots the page at `path` at both widths, in a fresh signed-in context each. */
export async function screenshotBoth(browser: Browser, c: ConsoleApp, path: string, name: string): Promise<void> {
  for (const viewport of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[]) {
    const { context, page } = await signedInPage(browser, c, { viewport });
    await page.goto(`${c.base}${path}`);
    await screenshot(page, name, viewport);
    await context.close();
  }
}

/** The console with a Telegram channel on the emulator, and a browser: what the end-to-end tests start. */
export interface TelegramConsole {
  emulator: Emulator;
  c: ConsoleApp;
  browser: Browser;
  stop(): Promise<void>;
}

/** Starts the emulator, the app with a Telegram channel on it (bot token `token`, more settings in `env`) and Chromium. */
export async function startTelegramConsole(name: string, token: string, env: Record<string, string> = {}): Promise<TelegramConsole> {
  const emulator = await startEmulator();
  const c = await startConsoleApp(name, { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: emulator.config.apiURL, ...env });
  const browser = await launchBrowser();
  return {
    emulator,
    c,
    browser,
    async stop() {
      await browser.close();
      await c.stop();
      await emulator.stop();
    },
  };
}
