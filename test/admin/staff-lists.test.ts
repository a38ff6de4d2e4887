/**
 * The staff lists behind the console's registrations and enterprises pages: search by name,
 * phone (typed 0…, stored +84…) and enterprise (also behind a tax code), filters, pages, and
 * the same selection exported with the chat's exporter (a course column across courses, the
 * place in line counted among everyone waiting); pending representation requests as rows.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { createPrivacyRequests } from "../../src/admin/privacy-requests.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import { createRepositories } from "../../src/composition/repositories.js";
import type { Database } from "../../src/db/database.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import { createRepresentationRepo } from "../../src/db/representation-repo.js";
import { openTestDatabase } from "../helpers/db.js";

const consentAt = new Date("2026-01-15T00:00:00Z");
const person = (contactId: string, name: string, phone: string) => ({ contactId, name, phone, email: null, consentAt });

async function rowsOf(content: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
}

describe("staff lists", () => {
  let db: Database;
  let staff: StaffModule;
  let a: string;
  let b: string;

  beforeAll(async () => {
    db = await openTestDatabase("admin_staff_lists");
    staff = createStaffModule({ db, staffIds: [], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24], ratePerSec: { telegram: 30, zalo: 10 } });
    const course = async (title: string, capacity: string) => {
      const c = await staff.courses.create({ title_vi: title, start: "20/12/2030 08:00", end: "20/12/2030 11:00", place: "Nha Trang", capacity });
      if (!c.ok) throw new Error("course");
      return c.id;
    };
    a = await course("Lớp 5S", "1");
    b = await course("Lớp Kaizen", "10");
    const enterprises = createEnterprisesRepo(db);
    await enterprises.create({ name: "Công ty Biển Xanh", taxCode: "0101243150", sector: "agro_processing", size: "small", address: "Nha Trang", supportInterests: [], contact: person("zalo:1", "Lê Chủ", "+84905000001") });
    await enterprises.create({ name: "HTX Gốm Lâm", taxCode: "4201234567", sector: "handicrafts", size: "micro", address: "Cam Lâm", supportInterests: [], contact: person("zalo:2", "Trần Gốm", "+84905000002") });
    const registration = createRegistrationService({ db, repos: createRepositories(db) });
    const at = new Date("2026-12-01T03:00:00Z");
    const reg = (courseId: string, contactId: string, fullName: string, phone: string, enterprise: { kind: "tax_code"; taxCode: string } | { kind: "name"; name: string } | null, minutes: number) =>
      registration.register({ courseId, contactId, fullName, phone, enterprise, jobTitle: null, consentAt }, new Date(at.getTime() + minutes * 60_000));
    await reg(a, "telegram:11", "Nguyễn Văn An", "+84901111111", { kind: "tax_code", taxCode: "0101243150" }, 0); // seat
    await reg(a, "telegram:12", "Phạm Thị Bình", "+84902222222", { kind: "name", name: "Hộ kinh doanh Bình" }, 1); // waits 1st
    await reg(a, "telegram:13", "Võ Văn Cường", "+84903333333", null, 2); // waits 2nd
    await reg(b, "telegram:11", "Nguyễn Văn An", "+84901111111", null, 3);
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });

  it("finds by name, by a phone typed as staff dial it, and by the enterprise behind a tax code", async () => {
    const names = async (filter: Parameters<StaffModule["lists"]["registrations"]>[0]) => (await staff.lists.registrations(filter, { skip: 0, limit: 25 })).rows.map((r) => `${r.registration.fullName}|${r.course?.title.vi}|${r.enterpriseName ?? ""}`).sort();
    expect(await names({ text: "nguyễn" })).toEqual(["Nguyễn Văn An|Lớp 5S|Công ty Biển Xanh", "Nguyễn Văn An|Lớp Kaizen|"]);
    expect(await names({ text: "0902 222" })).toEqual(["Phạm Thị Bình|Lớp 5S|Hộ kinh doanh Bình"]);
    expect(await names({ text: "0902222222" })).toEqual(["Phạm Thị Bình|Lớp 5S|Hộ kinh doanh Bình"]);
    expect(await names({ text: "biển xanh" })).toEqual(["Nguyễn Văn An|Lớp 5S|Công ty Biển Xanh"]);
    expect(await names({ text: "hộ kinh" })).toEqual(["Phạm Thị Bình|Lớp 5S|Hộ kinh doanh Bình"]);
    expect(await names({ courseId: a, status: "waitlisted" })).toEqual(["Phạm Thị Bình|Lớp 5S|Hộ kinh doanh Bình", "Võ Văn Cường|Lớp 5S|"]);
    // Typed text is text, not a pattern.
    expect(await names({ text: ".*" })).toEqual([]);
  });

  it("pages: newest first, the total of all matching", async () => {
    const first = await staff.lists.registrations({}, { skip: 0, limit: 3 });
    const second = await staff.lists.registrations({}, { skip: 3, limit: 3 });
    expect(first.total).toBe(4);
    expect(first.rows.map((r) => r.registration.fullName)).toEqual(["Nguyễn Văn An", "Võ Văn Cường", "Phạm Thị Bình"]);
    expect(second.rows.map((r) => r.registration.fullName)).toEqual(["Nguyễn Văn An"]);
  });

  it("exports the selection: a course column across courses; a place in line counts everyone waiting", async () => {
    const all = await rowsOf((await staff.lists.exportRegistrations({}, { locale: "vi", format: "xlsx" })).content);
    expect(all[0]!.slice(0, 3)).toEqual(["STT", "Khóa học", "Họ và tên"]);
    expect(all).toHaveLength(5);
    // Only the second one waiting is selected: still second in line.
    const one = await rowsOf((await staff.lists.exportRegistrations({ text: "Cường" }, { locale: "en", format: "xlsx" })).content);
    expect(one[0]).toEqual(["No.", "Full name", "Phone", "Enterprise", "Tax code", "Job title", "Status", "Seat", "Waiting list position", "Registered at", "Cancelled at"]);
    expect(one.slice(1).map((r) => [r[1], r[2], r[8]])).toEqual([["Võ Văn Cường", "0903333333", 2]]);
    const csv = (await staff.lists.exportRegistrations({ courseId: b }, { locale: "vi", format: "csv" })).content.toString("utf8");
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(2);
  });

  it("exports one course exactly as the chat's /export of that course does", async () => {
    const console = await staff.lists.exportRegistrations({ courseId: a }, { locale: "vi", format: "xlsx" });
    const chat = (await staff.courses.exportRegistrations(a, { locale: "vi", format: "xlsx" }))!;
    expect(console.filename).toBe(chat.filename);
    expect(await rowsOf(console.content)).toEqual(await rowsOf(chat.content));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(console.content as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.name).toBe("Lớp 5S");
  });

  it("filters and exports enterprises by sector, size and text", async () => {
    const list = await staff.lists.enterprises({ sector: "handicrafts" }, { skip: 0, limit: 25 });
    expect(list.total).toBe(1);
    expect(list.rows[0]!.contacts.map((c) => c.name)).toEqual(["Trần Gốm"]);
    expect((await staff.lists.enterprises({ text: "biển", size: "micro" }, { skip: 0, limit: 25 })).total).toBe(0);
    expect((await staff.lists.enterprises({ text: "4201" }, { skip: 0, limit: 25 })).rows.map((e) => e.name)).toEqual(["HTX Gốm Lâm"]);
    const rows = await rowsOf((await staff.lists.exportEnterprises({ size: "small" }, { locale: "vi", format: "xlsx" })).content);
    expect(rows.slice(1).map((r) => r[1])).toEqual(["Công ty Biển Xanh"]);
  });

  it("lists pending representation requests with the enterprise and masked phone", async () => {
    await createRepresentationRepo(db).create("0101243150", person("telegram:99", "Người Hỏi", "+84909999123"), new Date());
    const privacy = createPrivacyRequests({ db, sessions: { erase: async () => undefined }, label: (m) => m.key });
    const pending = await privacy.pending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ enterprise: "Công ty Biển Xanh", taxCode: "0101243150", requester: "Người Hỏi" });
    expect(pending[0]!.phone).not.toContain("9999123");
  });
});
