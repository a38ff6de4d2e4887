/**
 * The console's registrations and enterprises pages over HTTP against the real app and database:
 * search and filters, bad filters refused with the field's message (HTTP 422, no list), exports
 * of the same selection (audited), pending representation requests decided as staff (the
 * requester told on Telegram, as with /requests), a change without the CSRF token refused.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botMessages, startEmulator, waitFor, type Emulator } from "../channels/telegram/emulator.js";
import { consoleClient, csrfOf, signIn, startConsoleApp, type ConsoleApp } from "./console-app.js";
import { person, seeder } from "./seed.js";

const TOKEN = "223344557:AAH-console-lists-token";

async function sheetRows(content: ArrayBuffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content);
  const out: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe("console registrations and enterprises", () => {
  let emulator: Emulator;
  let c: ConsoleApp;
  let seed: ReturnType<typeof seeder>;
  let client: ReturnType<typeof consoleClient>;
  let course5s: string;
  let requestId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    c = await startConsoleApp("console_lists_pages", { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL });
    seed = seeder(c.db);
    course5s = await seed.course("Lớp 5S", "1");
    const kaizen = await seed.course("Lớp Kaizen");
    await seed.enterprise("Công ty Biển Xanh", "0101243150", "agro_processing", "small", person("zalo:1", "Lê Chủ", "+84905000001"));
    await seed.enterprise("<script>alert(1)</script>", "4201234567", "handicrafts", "micro", person("zalo:2", "Trần Gốm", "+84905000002"));
    await seed.register(course5s, "telegram:11", "Nguyễn Văn An", "+84901111111", { kind: "tax_code", taxCode: "0101243150" });
    await seed.register(course5s, "telegram:12", "Phạm Thị Bình", "+84902222222", { kind: "name", name: "Hộ kinh doanh Bình" });
    await seed.register(kaizen, "telegram:13", "Võ Văn Cường", "+84903333333");
    requestId = (await seed.request("0101243150", person("telegram:901", "Người Xin", "+84909000901"))).id;
    client = consoleClient(c.base);
    await signIn(c, client);
  }, 120_000);
  afterAll(async () => {
    await seed?.stop();
    await c?.stop();
    await emulator?.stop();
  });

  it("lists registrations, searches by phone as staff dial it, filters by course and status", async () => {
    const all = await client.get("/console/registrations");
    expect(all.status).toBe(200);
    for (const name of ["Nguyễn Văn An", "Phạm Thị Bình", "Võ Văn Cường", "Công ty Biển Xanh", "0901111111"]) expect(all.text).toContain(name);
    const byPhone = await client.get("/console/registrations?q=0902222222");
    expect(byPhone.text).toContain("Phạm Thị Bình");
    expect(byPhone.text).not.toContain("Nguyễn Văn An");
    const waiting = await client.get(`/console/registrations?course=${course5s}&status=waitlisted`);
    expect(waiting.text).toContain("Phạm Thị Bình");
    expect(waiting.text).not.toContain("Võ Văn Cường");
    expect(waiting.text).not.toContain("Nguyễn Văn An");
    expect(waiting.text).toContain(`format=xlsx`);
    expect(waiting.text).toContain(`course=${course5s}&amp;status=waitlisted&amp;format=xlsx`);
  });

  it("refuses bad filters with the field's message and shows no list (HTTP 422)", async () => {
    const bad = await client.get("/console/registrations?status=deleted&q=An");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Trạng thái không hợp lệ.");
    expect(bad.text).toContain('value="An"');
    expect(bad.text).not.toContain("Nguyễn Văn An");
    const course = await client.get("/console/registrations?course=nope");
    expect(course.status).toBe(422);
    expect(course.text).toContain("Khóa học này không tồn tại.");
    const page = await client.get("/console/registrations?page=0");
    expect(page.status).toBe(422);
    expect(page.text).toContain("Số trang không hợp lệ.");
    const format = await client.get("/console/registrations/export?format=pdf");
    expect(format.status).toBe(422);
    expect(format.text).toContain("Định dạng tệp không hợp lệ");
  });

  it("exports the selection as XLSX and CSV with the chat's exporter, audited", async () => {
    const response = await fetch(`${c.base}/console/registrations/export?course=${course5s}&format=xlsx`, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("spreadsheetml");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="dang-ky-\w+\.xlsx"/);
    const rows = await sheetRows(await response.arrayBuffer());
    expect(rows[0]).toEqual(["STT", "Họ và tên", "Điện thoại", "Doanh nghiệp", "Mã số thuế", "Chức vụ", "Trạng thái", "Số chỗ", "Vị trí chờ", "Đăng ký lúc", "Hủy lúc"]);
    expect(rows.slice(1).map((r) => [r[1], r[2], r[3], r[6]])).toEqual([
      ["Nguyễn Văn An", "0901111111", "Công ty Biển Xanh", "Đã có chỗ"],
      ["Phạm Thị Bình", "0902222222", "Hộ kinh doanh Bình", "Danh sách chờ"],
    ]);
    const csv = await client.get("/console/registrations/export?q=C%C6%B0%E1%BB%9Dng&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split("\r\n").filter(Boolean)).toHaveLength(2);
    expect(csv.text).toContain("Võ Văn Cường");
    const audit = await c.repo.recentAudit(10);
    expect(audit.filter((a) => a.action === "export.registrations" && a.result === "200").length).toBeGreaterThanOrEqual(2);
  });

  it("shows an enterprise's name as text, filters by sector and size, refuses a bad sector", async () => {
    const all = await client.get("/console/enterprises");
    expect(all.status).toBe(200);
    expect(all.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(all.text).not.toContain("<script>alert(1)");
    const crafts = await client.get("/console/enterprises?sector=handicrafts&size=micro");
    expect(crafts.text).toContain("Trần Gốm");
    expect(crafts.text).not.toContain("Lê Chủ");
    const bad = await client.get("/console/enterprises?sector=mining");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Lĩnh vực không hợp lệ.");
    expect(bad.text).not.toContain("Trần Gốm");
    const csv = await client.get("/console/enterprises/export?q=bi%E1%BB%83n&format=csv");
    expect(csv.status).toBe(200);
    expect(csv.text).toContain("Công ty Biển Xanh");
    expect(csv.text).not.toContain("Trần Gốm");
    expect((await c.repo.recentAudit(5)).some((a) => a.action === "export.enterprises")).toBe(true);
  });

  it("refuses a decision without the CSRF token (nothing decided), then approves as staff: the requester is told on Telegram", async () => {
    const page = await client.get("/console/enterprises");
    expect(page.text).toContain("Người Xin");
    const refused = await client.post(`/console/enterprises/requests/${requestId}/approve`, {});
    expect(refused.status).toBe(403);
    expect(await c.db.models.representationRequest.countDocuments({ _id: requestId })).toBe(1);
    expect(await c.db.models.enterpriseContact.countDocuments({ contactId: "telegram:901" })).toBe(0);

    const done = await client.post(`/console/enterprises/requests/${requestId}/approve`, { _csrf: csrfOf(page.text) });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/console/enterprises?result=approved");
    expect(await c.db.models.enterpriseContact.countDocuments({ contactId: "telegram:901", taxCode: "0101243150" })).toBe(1);
    const told = await waitFor(emulator, () => botMessages(emulator, TOKEN, 901).find((m) => m.text.includes("Công ty Biển Xanh")), 15_000);
    expect(told.text).toBe(c.app.renderer.render({ key: "enterprise:request.approved", params: { enterprise: "Công ty Biển Xanh", tax_code: "0101243150" } }, "vi"));
    const after = await client.get(done.location!);
    expect(after.text).toContain(c.app.renderer.render({ key: "enterprise:requests.result.approved" }, "vi"));
    expect(after.text).not.toContain(`data-request="${requestId}"`);
    // Now a contact person of the enterprise.
    expect(after.text).toContain("Người Xin · 0909000901");
    expect((await c.repo.recentAudit(5)).find((a) => a.action === "representation.approve")).toMatchObject({ target: requestId, result: "303", by: "telegram:777" });
    expect(await c.db.models.privacyAudit.countDocuments({ action: "approve", subject: requestId })).toBe(1);

    const again = await client.post(`/console/enterprises/requests/${requestId}/decline`, { _csrf: csrfOf(page.text) });
    expect(again.status).toBe(404);
    expect(again.text).toContain(c.app.renderer.render({ key: "enterprise:requests.result.not_found" }, "vi"));
  });

  it("declines a request: the requester is told, nobody is linked", async () => {
    const { id } = await seed.request("4201234567", person("telegram:902", "Người Bị Từ Chối", "+84909000902"));
    const page = await client.get("/console/enterprises");
    const done = await client.post(`/console/enterprises/requests/${id}/decline`, { _csrf: csrfOf(page.text) });
    expect(done.location).toBe("/console/enterprises?result=declined");
    expect(await c.db.models.enterpriseContact.countDocuments({ contactId: "telegram:902" })).toBe(0);
    const told = await waitFor(emulator, () => botMessages(emulator, TOKEN, 902)[0], 15_000);
    expect(told.text).toBe(c.app.renderer.render({ key: "enterprise:request.declined", params: { tax_code: "4201234567" } }, "vi"));
    expect(await c.db.models.privacyAudit.countDocuments({ action: "decline", subject: id })).toBe(1);
  });

  it("pages a long list, keeping the filters in the page links", async () => {
    for (let i = 0; i < 26; i++) await seed.enterprise(`Cơ sở số ${i + 1}`, `03000000${String(i).padStart(2, "0")}`, "services_tourism", "medium", person(`zalo:p${i}`, `Chủ ${i + 1}`, "+84905000100"));
    const first = await client.get("/console/enterprises?sector=services_tourism");
    expect(first.text).toContain("Tìm thấy 26");
    expect(first.text.match(/class="enterprise-name"/g)).toHaveLength(25);
    expect(first.text).toContain('href="?sector=services_tourism&amp;page=2" rel="next"');
    const second = await client.get("/console/enterprises?sector=services_tourism&page=2");
    expect(second.text.match(/class="enterprise-name"/g)).toHaveLength(1);
    expect(second.text).toContain('rel="prev"');
    // Oldest first on the export, newest first on the screen: the first one made is alone on page 2.
    expect(second.text).toContain("Cơ sở số 1<");
  });

  it("speaks English when the staff member chose it", async () => {
    const page = await client.get("/console/registrations");
    await client.post("/console/locale", { _csrf: csrfOf(page.text), locale: "en", back: "/console/registrations" });
    const en = await client.get("/console/registrations?status=gone");
    expect(en.status).toBe(422);
    expect(en.text).toContain("Course registrations");
    expect(en.text).toContain("The status is not valid.");
    const enterprises = await client.get("/console/enterprises");
    expect(enterprises.text).toContain("Pending requests to represent an enterprise");
    expect(enterprises.text).toContain("Small-scale industry, handicrafts");
  });
});
