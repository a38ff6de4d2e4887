/**
 * The courses pages in Chromium with the real bot on Telegram (the emulator): a course created
 * with one wrong date corrected in place; a fake Telegram user signs up through the course's code
 * (as the sign-up link sends it) and then appears on the course's page; close and reopen (a
 * dismissed confirmation changes nothing); a reschedule and a cancellation each reach the registrant once. Screenshots
 * of the list, the form with an error and a course page at both widths.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botMessages, waitFor, type Emulator } from "../channels/telegram/emulator.js";
import { chromiumAvailable, startTelegramConsole, type TelegramConsole, screenshot, screenshotBoth, signedInPage } from "./browser.js";
import type { ConsoleApp } from "./console-app.js";

const TOKEN = "334455667:AAH-console-courses-browser-token";
const LEARNER = 951;

describe.runIf(chromiumAvailable() || process.env.CI)("console courses in Chromium", () => {
  let emulator: Emulator;
  let c: ConsoleApp;
  let browser: Browser;
  let started: TelegramConsole | undefined;
  const texts = (chat: number) => botMessages(emulator, TOKEN, chat).map((m) => m.text);

  beforeAll(async () => {
    started = await startTelegramConsole("console_courses_browser", TOKEN);
    ({ emulator, c, browser } = started);
  }, 90_000);
  afterAll(async () => {
    await started?.stop();
  });

  /** Fills the course form (the pickers take `yyyy-MM-ddTHH:mm`, Vietnam time). */
  async function fillCourse(page: Page, end: string) {
    await page.fill("#f-title_vi", "Lớp Kaizen thực hành");
    await page.fill("#f-title_en", "Kaizen in practice");
    await page.fill("#f-start", "2030-12-25T08:00");
    await page.fill("#f-end", end);
    await page.fill("#f-place", "Hội trường Sở KH&CN, Nha Trang");
    await page.fill("#f-capacity", "20");
  }

  it("creates a course (a wrong date corrected in place), a Telegram user signs up and appears; close, reopen, reschedule", async () => {
    const { context, page } = await signedInPage(browser, c);
    const problems: string[] = [];
    // Chromium logs the 422 of a refused form as a failed resource: that one is the point; anything else is a problem.
    page.on("console", (m) => (m.type() === "error" && !m.text().includes("status of 422") ? problems.push(m.text()) : undefined));
    page.on("pageerror", (e) => problems.push(e.message));

    await page.click('a[href="/console/courses"]');
    await page.waitForURL(/\/console\/courses$/);
    await page.click("#new-course");
    await page.waitForURL(/\/console\/courses\/new$/);
    await fillCourse(page, "2030-12-25T07:00");
    await page.click("#save");
    await page.locator("#e-end").waitFor();
    expect(await page.locator("#e-end").textContent()).toBe("Thời điểm kết thúc phải sau thời điểm bắt đầu.");
    expect(await page.inputValue("#f-title_vi")).toBe("Lớp Kaizen thực hành");
    expect(await page.inputValue("#f-end")).toBe("2030-12-25T07:00");
    expect(await page.locator("#f-end").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "course-form", "desktop");

    await page.fill("#f-end", "2030-12-25T11:00");
    await page.click("#save");
    await page.waitForURL(/\/console\/courses\/[^/]+\?done=created$/);
    const id = /\/console\/courses\/([^/?]+)/.exec(page.url())![1]!;
    expect(await page.locator("#course-title").textContent()).toBe("Lớp Kaizen thực hành");
    expect(await page.locator("#registrations").textContent()).toContain("Chưa có ai đăng ký.");
    const code = (await page.locator("#course-code").textContent())!;
    expect(code).toMatch(/^KH\d+$/);
    // The QR image was drawn (loaded under the CSP, as a PNG the browser decodes).
    expect(await page.locator("#course-qr").evaluate((img) => Number(Reflect.get(img, "naturalWidth")) > 0)).toBe(true);

    // A person opens the sign-up link (Telegram sends "/start <code>") and answers the questions.
    const learner = emulator.getClient(TOKEN, { userId: LEARNER, chatId: LEARNER, firstName: "Lan", timeout: 5_000 });
    async function say(text: string, until: (s: string) => boolean): Promise<string> {
      const before = texts(LEARNER).length;
      await learner.sendMessage(learner.makeMessage(text));
      return waitFor(emulator, () => {
        const fresh = texts(LEARNER).slice(before);
        return fresh.some(until) ? fresh.join("\n") : undefined;
      }, 20_000).catch((e: unknown) => {
        throw new Error(`${(e as Error).message} after ${JSON.stringify(text)}; got: ${JSON.stringify(texts(LEARNER).slice(before))}`);
      });
    }
    const details = await say(`/start ${code}`, (s) => s.includes("Anh/Chị muốn đăng ký khóa này không?"));
    expect(details).toContain("Lớp Kaizen thực hành");
    await say("Đăng ký khóa này", (s) => s.includes("Anh/Chị có đồng ý cung cấp các thông tin trên không?"));
    await say("Có", (s) => s.includes("Họ và tên của Anh/Chị?"));
    await say("Nguyễn Thị Lan", (s) => s.includes("Số điện thoại di động"));
    await say("0912 345 678", (s) => s.includes("Anh/Chị làm việc tại doanh nghiệp nào?"));
    await say("Công ty Yến Sào Khánh Hòa", (s) => s.includes("Chức danh của Anh/Chị"));
    await say("bỏ qua", (s) => s.includes("Xác nhận đăng ký?"));
    expect(await say("Có", (s) => s.includes("Đăng ký thành công!"))).toContain("25/12/2030 08:00");

    await page.reload();
    const row = await page.locator("#confirmed tbody tr").first().textContent();
    expect(row).toContain("Nguyễn Thị Lan");
    expect(row).toContain("0912345678");
    expect(row).toContain("Công ty Yến Sào Khánh Hòa");
    expect(await page.locator("#course-seats").textContent()).toBe("1 / 20");

    // A dismissed confirmation changes nothing; an accepted one closes registration.
    page.once("dialog", (d) => void d.dismiss());
    await page.click("#close-course");
    expect(await page.locator("#course-status").textContent()).toBe("Đang mở");
    page.once("dialog", (d) => void d.accept());
    await page.click("#close-course");
    await page.waitForURL(/done=closed$/);
    expect(await page.locator("#course-status").textContent()).toBe("Đã đóng");
    expect(await page.locator("#done").textContent()).toBe("Đã đóng đăng ký.");
    await page.click("#reopen-course");
    await page.waitForURL(/done=reopened$/);
    expect(await page.locator("#course-status").textContent()).toBe("Đang mở");

    // Reschedule: the registrant is told once, with the new start and end.
    const before = texts(LEARNER).length;
    await page.fill("#r-start", "2030-12-27T13:30");
    page.once("dialog", (d) => void d.accept());
    await page.click("#reschedule-course");
    await page.waitForURL(/done=moved$/);
    const notice = await waitFor(emulator, () => texts(LEARNER).slice(before)[0], 20_000);
    expect(notice).toContain("27/12/2030 13:30");
    expect(notice).toContain("27/12/2030 16:30");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(texts(LEARNER).slice(before)).toHaveLength(1);

    await page.goto(`${c.base}/console/courses`);
    expect(await page.locator(`tr[data-course="${id}"]`).textContent()).toContain("1 / 20");
    expect(problems).toEqual([]);
    await context.close();

    // The form with an error at phone width, then the list and the course page at both widths.
    const phone = await signedInPage(browser, c, { viewport: "phone" });
    await phone.page.goto(`${c.base}/console/courses/new`);
    await fillCourse(phone.page, "2030-12-25T07:00");
    await phone.page.click("#save");
    await phone.page.locator("#e-end").waitFor();
    await screenshot(phone.page, "course-form", "phone");
    await phone.context.close();
    await screenshotBoth(browser, c, "/console/courses", "courses");
    await screenshotBoth(browser, c, `/console/courses/${id}`, "course");

    // Cancelling (confirmed): the registrant is told once; the page offers nothing more to change.
    const last = await signedInPage(browser, c);
    await last.page.goto(`${c.base}/console/courses/${id}`);
    const beforeCancel = texts(LEARNER).length;
    last.page.once("dialog", (d) => void d.accept());
    await last.page.click("#cancel-course");
    await last.page.waitForURL(/done=cancelled$/);
    expect(await last.page.locator("#course-status").textContent()).toBe("Đã hủy");
    expect(await last.page.locator("#close-course, #reopen-course, #cancel-course, #reschedule").count()).toBe(0);
    const cancelled = await waitFor(emulator, () => texts(LEARNER).slice(beforeCancel)[0], 20_000);
    expect(cancelled).toContain("Lớp Kaizen thực hành");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(texts(LEARNER).slice(beforeCancel)).toHaveLength(1);
    await last.context.close();
  }, 180_000);
});
