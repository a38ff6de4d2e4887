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
    // Figures for the overview: three enterprises, registrations on two days.
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000);
    await c.db.models.enterprise.insertMany([
      { _id: "4200000001", taxCode: "4200000001", name: "A", sector: "handicrafts", size: "small", address: "Nha Trang", createdAt: at(3) },
      { _id: "4200000002", taxCode: "4200000002", name: "B", sector: "handicrafts", size: "medium", address: "Nha Trang", createdAt: at(3) },
      { _id: "4200000003", taxCode: "4200000003", name: "C", sector: "services_tourism", size: "small", address: "Cam Ranh", createdAt: at(1) },
    ]);
    await c.db.models.registration.insertMany([1, 2, 3, 4].map((i) => ({ courseId: "c1", contactId: `telegram:${i}`, accountKey: `telegram:${i}`, consentAt: at(i % 2), createdAt: at(i % 2), status: "confirmed", statusRank: 2 })));
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
    // The chart is drawn (uPlot's canvas, from our script and the page's JSON block); the figures are there.
    await page.locator("#signups-chart canvas").waitFor();
    expect(await page.locator('#by-sector [data-sector="handicrafts"]').textContent()).toBe("2");
    expect(await page.locator('#by-size [data-size="small"]').textContent()).toBe("2");
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
