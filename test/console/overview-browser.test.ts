/** The console's frame in Chromium: signed in through a link, the menu, the language switch, sign-out; no script errors (CSP holds). */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchBrowser, screenshotBoth, signedInPage } from "./browser.js";
import { startConsoleApp, type ConsoleApp } from "./console-app.js";

describe.runIf(chromiumAvailable() || process.env.CI)("console frame in Chromium", () => {
  let c: ConsoleApp;
  let browser: Browser;
  beforeAll(async () => {
    c = await startConsoleApp("console_overview_browser");
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await c?.stop();
  });

  it("signs in, switches language, signs out; no console errors (CSP blocks nothing of ours)", async () => {
    const { context, page } = await signedInPage(browser, c);
    const problems: string[] = [];
    page.on("console", (m) => (m.type() === "error" ? problems.push(m.text()) : undefined));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.reload();
    expect(await page.locator("h1").textContent()).toBe("Tổng quan");
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForURL(/\/console$/);
    expect(await page.locator("h1").textContent()).toBe("Overview");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/signed-out/);
    await page.goto(`${c.base}/console`);
    expect(page.url()).toContain("/console/signed-out");
    expect(problems).toEqual([]);
    await context.close();
    await screenshotBoth(browser, c, "/console", "overview");
  }, 90_000);
});
