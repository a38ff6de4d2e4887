/**
 * The registrations, enterprises, questions, staff and privacy pages in a real Chromium: an XLSX
 * export downloaded from the registrations page and read back; an enterprise named like a script
 * shown as text (no dialog); a pending representation request approved with a click; screenshots
 * of each page at desktop and phone widths.
 */
import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchBrowser, screenshotBoth, signedInPage } from "./browser.js";
import { startConsoleApp, type ConsoleApp } from "./console-app.js";
import { person, seeder } from "./seed.js";

const SCRIPT_NAME = "<script>alert(1)</script>";

describe.runIf(chromiumAvailable() || process.env.CI)("console lists and people pages in Chromium", () => {
  let c: ConsoleApp;
  let browser: Browser;
  let seed: ReturnType<typeof seeder>;
  let courseId: string;
  let requestId: string;

  beforeAll(async () => {
    c = await startConsoleApp("console_pages_browser");
    seed = seeder(c.db);
    courseId = await seed.course("Lớp Cải tiến năng suất", "2");
    const other = await seed.course("Lớp ISO 9001");
    await seed.enterprise("Công ty Nước Mắm Hòn Khói", "0101243150", "agro_processing", "small", person("zalo:1", "Lê Chủ", "+84905000001"));
    await seed.enterprise(SCRIPT_NAME, "4201234567", "handicrafts", "micro", person("zalo:2", "Trần Gốm", "+84905000002"));
    await seed.register(courseId, "telegram:11", "Nguyễn Văn An", "+84901111111", { kind: "tax_code", taxCode: "0101243150" });
    await seed.register(courseId, "telegram:12", "Phạm Thị Bình", "+84902222222", { kind: "name", name: "Hộ kinh doanh Bình" });
    await seed.register(courseId, "telegram:13", "Võ Văn Cường", "+84903333333");
    await seed.register(other, "telegram:14", "Hồ Thị Dung", "+84904444444");
    requestId = (await seed.request("0101243150", person("telegram:901", "Người Xin Đại Diện", "+84909000901"))).id;
    await seed.question("telegram", "5001", "Chị Hoa", "Doanh nghiệp siêu nhỏ có được hỗ trợ đào tạo không?");
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await seed?.stop();
    await c?.stop();
  });

  it("downloads the registrations of one course as XLSX; the rows are those registered", async () => {
    const { context, page } = await signedInPage(browser, c);
    await page.goto(`${c.base}/console/registrations`);
    // Choosing a course updates the list in place (htmx), and the address with it.
    await page.selectOption("select[name=course]", courseId);
    await page.waitForURL(/course=/);
    await page.locator("td", { hasText: "Hồ Thị Dung" }).waitFor({ state: "detached" });
    expect(await page.locator("table.console-registrations tbody tr").count()).toBe(3);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-xlsx")]);
    expect(download.suggestedFilename()).toMatch(/^dang-ky-\w+\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]!.slice(0, 4)).toEqual(["STT", "Họ và tên", "Điện thoại", "Doanh nghiệp"]);
    expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[6], r[8]])).toEqual([
      ["Nguyễn Văn An", "0901111111", "Công ty Nước Mắm Hòn Khói", "Đã có chỗ", undefined],
      ["Phạm Thị Bình", "0902222222", "Hộ kinh doanh Bình", "Đã có chỗ", undefined],
      ["Võ Văn Cường", "0903333333", undefined, "Danh sách chờ", 1],
    ]);
    expect((await c.repo.recentAudit(5)).some((a) => a.action === "export.registrations" && a.result === "200")).toBe(true);
    await context.close();
  }, 90_000);

  it("shows an enterprise named like a script as text: no dialog, the name visible, no script errors", async () => {
    const { context, page } = await signedInPage(browser, c);
    let dialogs = 0;
    const problems: string[] = [];
    page.on("dialog", (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => (m.type() === "error" ? problems.push(m.text()) : undefined));
    await page.goto(`${c.base}/console/enterprises`);
    const cell = page.locator("td.enterprise-name", { hasText: SCRIPT_NAME });
    await cell.waitFor();
    expect(await cell.isVisible()).toBe(true);
    expect(await cell.textContent()).toContain(SCRIPT_NAME);
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it("approves a pending representation request with a click", async () => {
    const { context, page } = await signedInPage(browser, c);
    await page.goto(`${c.base}/console/enterprises`);
    await page.locator(`tr[data-request="${requestId}"] button`, { hasText: "Chấp nhận" }).click();
    await page.waitForURL(/result=approved/);
    expect(await page.locator(".console-notice").textContent()).toBe(c.app.renderer.render({ key: "enterprise:requests.result.approved" }, "vi"));
    expect(await page.locator(`tr[data-request="${requestId}"]`).count()).toBe(0);
    expect(await c.db.models.enterpriseContact.countDocuments({ contactId: "telegram:901", taxCode: "0101243150" })).toBe(1);
    await context.close();
  }, 90_000);

  it("takes screenshots of every page at both widths", async () => {
    await screenshotBoth(browser, c, "/console/registrations", "registrations");
    await screenshotBoth(browser, c, "/console/enterprises", "enterprises");
    await screenshotBoth(browser, c, "/console/questions", "questions");
    await screenshotBoth(browser, c, "/console/staff", "staff");
    await screenshotBoth(browser, c, "/console/privacy/show?account=telegram%3A11", "privacy");
  }, 180_000);
});
