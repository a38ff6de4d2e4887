/**
 * Exports staff open in Excel: XLSX read back with exceljs (local times, labels, headers in the
 * staff member's language, the enterprise name behind a tax code, waitlist positions, text cells),
 * CSV on request, and formula-looking cells neutralised in both.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sheetToCsv } from "../../src/admin/export/csv.js";
import { neutraliseFormula, type Sheet } from "../../src/admin/export/sheet.js";
import { sheetToXlsx, XLSX_MIME } from "../../src/admin/export/xlsx.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import { createRegistrationsRepo } from "../../src/db/registrations-repo.js";
import { openTestDatabase } from "../helpers/db.js";

const DANGEROUS = ['=HYPERLINK("http://evil.example","Xem")', "+cmd|' /C calc'!A0", "@SUM(A:A)", "-2+3", "\t=1+1", "\r=1+1"];

async function readXlsx(content: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}
const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

describe("formula-safe cells", () => {
  it.each(DANGEROUS)("neutralises %j with a leading quote", (v) => {
    expect(neutraliseFormula(v)).toBe(`'${v}`);
  });
  it.each(["Nguyễn Văn A", "0901234567", "2+3", "a=b", "", "'already"])("leaves %j alone", (v) => {
    expect(neutraliseFormula(v)).toBe(v);
  });

  const sheet: Sheet = { name: "t", columns: [{ header: "=H", kind: "text" }, { header: "n", kind: "number" }], rows: DANGEROUS.map((v, i) => [v, i]) };

  it("neutralises every dangerous cell (and header) in CSV", () => {
    const text = sheetToCsv(sheet, "t.csv").content.toString("utf8");
    expect(text.startsWith("\uFEFF'=H,n")).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Xem"")",0`);
    expect(text).toContain("'+cmd|' /C calc'!A0,1");
    expect(text).toContain("'@SUM(A:A),2");
    expect(text).toContain("'-2+3,3");
    expect(text).toContain("'\t=1+1,4");
    // No line of the file starts a formula.
    for (const line of text.replace(/^\uFEFF/, "").split("\r\n")) expect(line).not.toMatch(/^"?[=+\-@]/);
  });

  it("neutralises every dangerous cell in XLSX, and writes no formula cell", async () => {
    const doc = await sheetToXlsx(sheet, "t.xlsx");
    expect(doc.mimeType).toBe(XLSX_MIME);
    const ws = await readXlsx(doc.content);
    expect(ws.getCell("A1").value).toBe("'=H");
    DANGEROUS.forEach((v, i) => {
      const cell = ws.getCell(i + 2, 1);
      // XML turns a stored CR into LF; the leading quote is what matters.
      expect(cell.value).toBe(`'${v}`.replace("\r", "\n"));
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(ws.getCell(i + 2, 2).value).toBe(i);
    });
  });
});

describe("registrations and enterprises exports", () => {
  let db: Database;
  let staff: StaffModule;
  let courseId: string;

  beforeAll(async () => {
    db = await openTestDatabase("admin_exports");
    staff = createStaffModule({ db, staffIds: [], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24], ratePerSec: { telegram: 30, zalo: 10 } });
    const created = await staff.courses.create({ title_vi: "Lớp 5S", title_en: "5S course", start: "20/12/2030 08:00", end: "20/12/2030 11:00", place: "Nha Trang", capacity: "1" });
    if (!created.ok) throw new Error("course");
    courseId = created.id;
    const consentAt = new Date();
    await createEnterprisesRepo(db).create({
      name: "Công ty TNHH Biển Xanh", taxCode: "0101243150", sector: "agro_processing", size: "small", address: '=HYPERLINK("http://x","Xem")',
      supportInterests: ["training", "enterprise_support"], contact: { contactId: "telegram:7", name: "@SUM(A:A)", phone: "+84901234567", email: null, consentAt },
    });
    const regs = createRegistrationsRepo(db);
    // 19:23:47 UTC is 02:23 the next day in Vietnam.
    const at = new Date("2026-12-01T19:23:47.992Z");
    await regs.register({ courseId, contactId: "telegram:7", fullName: "Nguyễn Văn A", phone: "+84901234567", enterprise: { kind: "tax_code", taxCode: "0101243150" }, jobTitle: "-2+3", consentAt }, at);
    await regs.register({ courseId, contactId: "zalo:8", fullName: "+cmd|' /C calc'!A0", phone: "+84912345678", enterprise: { kind: "name", name: "Hộ kinh doanh C" }, jobTitle: null, consentAt }, at);
    await db.models.registration.collection.updateMany({ courseId }, { $set: { createdAt: at } });
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });

  it("exports registrations as XLSX by default: Vietnamese headers, local times, labels, names, positions, text cells", async () => {
    const doc = (await staff.courses.exportRegistrations(courseId, { locale: "vi", format: "xlsx" }))!;
    expect(doc.filename).toMatch(/^dang-ky-\w+\.xlsx$/);
    const ws = await readXlsx(doc.content);
    expect(ws.name).toBe("Lớp 5S");
    expect(rowValues(ws, 1)).toEqual(["STT", "Họ và tên", "Điện thoại", "Doanh nghiệp", "Mã số thuế", "Chức vụ", "Trạng thái", "Số chỗ", "Vị trí chờ", "Đăng ký lúc", "Hủy lúc"]);
    const first = rowValues(ws, 2);
    expect(first.slice(0, 10)).toEqual([1, "Nguyễn Văn A", "0901234567", "Công ty TNHH Biển Xanh", "0101243150", "'-2+3", "Đã có chỗ", 1, undefined, "02/12/2026 02:23"]);
    const second = rowValues(ws, 3);
    expect(second.slice(0, 10)).toEqual([2, "'+cmd|' /C calc'!A0", "0912345678", "Hộ kinh doanh C", undefined, undefined, "Danh sách chờ", undefined, 1, "02/12/2026 02:23"]);
    // Tax codes and phones are text cells: Excel keeps the leading 0.
    expect(ws.getCell("C2").numFmt).toBe("@");
    expect(ws.getCell("E2").numFmt).toBe("@");
    expect(ws.getCell("E2").type).toBe(ExcelJS.ValueType.String);
  });

  it("speaks English to an English-speaking staff member and gives CSV on request", async () => {
    const xlsx = await readXlsx((await staff.courses.exportRegistrations(courseId, { locale: "en", format: "xlsx" }))!.content);
    expect(xlsx.name).toBe("5S course");
    expect(rowValues(xlsx, 1)).toContain("Waiting list position");
    expect(rowValues(xlsx, 3)).toContain("Waiting list");
    const csv = (await staff.courses.exportRegistrations(courseId, { locale: "en", format: "csv" }))!;
    expect(csv.filename).toMatch(/^registrations-\w+\.csv$/);
    const text = csv.content.toString("utf8");
    expect(text.startsWith("\uFEFFNo.,Full name,Phone,Enterprise,Tax code")).toBe(true);
    expect(text).toContain("1,Nguyễn Văn A,0901234567,Công ty TNHH Biển Xanh,0101243150,'-2+3,Confirmed,1,,02/12/2026 02:23,");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it("exports enterprises with sector, size and interest labels, formula-safe", async () => {
    const ws = await readXlsx((await staff.courses.exportEnterprises({ locale: "vi", format: "xlsx" })).content);
    expect(rowValues(ws, 1)).toEqual(["Mã số thuế", "Doanh nghiệp", "Lĩnh vực", "Quy mô", "Địa chỉ", "Nhu cầu hỗ trợ", "Người liên hệ", "Điện thoại", "Email", "Đăng ký lúc"]);
    const row = rowValues(ws, 2);
    expect(row[0]).toBe("0101243150");
    expect(row[2]).toMatch(/^Chế biến nông, lâm, thủy sản/);
    expect(row[4]).toBe(`'=HYPERLINK("http://x","Xem")`);
    expect(String(row[5])).not.toContain("enterprise_support");
    expect(row[6]).toBe("'@SUM(A:A)");
    expect(row[7]).toBe("0901234567");
    expect(String(row[9])).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  });
});
