/**
 * Files on Zalo, end to end: the real app (createApp) on the fake Zalo Bot API and a real
 * database. Zalo cannot send files, so `/export` answers with a single-use link to the bot's
 * HTTP server: the page opens (a link preview does not use it up), the download works once,
 * fails the second time, and a link older than 15 minutes fails too.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { createApp, type App } from "../../src/app.js";
import { createCourseCodesRepo } from "../../src/db/course-codes-repo.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { parseConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { silentLogger } from "../../src/shared/logger.js";
import { freePort } from "../channels/telegram/emulator.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";

const TOKEN = "1234567890:zalo-secret-token-abc";
const STAFF = "staff-1";

describe("Zalo export as a single-use link", () => {
  let fake: FakeZaloServer;
  let app: App;
  let db: Database;
  let base: string;
  let offsetMs = 0;
  let sentBefore = 0;

  /** Sends `text` as the staff member and waits for the bot's next message. */
  async function say(text: string): Promise<string> {
    sentBefore = fake.sent.length;
    fake.pushUpdate(fake.textUpdate(STAFF, text));
    const sent = await fake.waitForSent(sentBefore + 1, 15_000);
    return sent.slice(sentBefore).map((m) => m.text).join("\n");
  }
  const linkIn = (text: string) => /(http:\/\/127\.0\.0\.1:\d+\/files\/[A-Za-z0-9_-]+)/.exec(text)?.[1];

  beforeAll(async () => {
    fake = await startFakeZaloServer({ token: TOKEN, pollHoldMs: 50 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const uri = withDatabaseName(inject("mongoUri"), "t_e2e_zalo_files");
    const first = await openDatabase(uri);
    await first.connection.dropDatabase();
    await first.close();
    db = await openDatabase(uri);
    const parsed = parseConfig({ MONGODB_URI: uri, ZALO_BOT_TOKEN: TOKEN, ZALO_API_BASE: fake.apiBase, STAFF_IDS: `zalo:${STAFF}`, TERMINAL: "off", HOST: "127.0.0.1", PORT: String(port), PUBLIC_URL: base, LOG_LEVEL: "silent" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    app = await createApp({ config: parsed.config, db, logger: silentLogger, now: () => new Date(Date.now() + offsetMs) });
    await app.start();
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await db?.close();
    await fake?.close();
  });

  it("sends a link that works once, then refuses; never claims a file was attached", async () => {
    const courseId = await createCoursesRepo(db).create({
      title: { vi: "Lớp 5S" }, description: { vi: "Thực hành 5S" }, startAt: new Date("2030-12-20T01:00:00Z"), endAt: new Date("2030-12-20T04:00:00Z"),
      deadline: new Date("2030-12-20T01:00:00Z"), place: "Nha Trang", capacity: 1, audience: ["workers"], status: "open",
    });
    const registration = createRegistrationService({ db });
    for (const who of ["zalo:a1", "zalo:a2"]) await registration.register({ courseId, contactId: who, fullName: "Học viên", phone: who === "zalo:a1" ? "+84901111111" : "+84902222222", enterprise: null, jobTitle: null, consentAt: new Date() }, new Date());
    const menu = await say("/export");
    expect(menu).toContain("1.");
    await say("1"); // registrations of a course
    const reply = await say("1"); // the course
    expect(reply).toContain("Zalo không gửi được tệp");
    expect(reply).not.toMatch(/đính kèm|Tệp CSV của bạn đây/);
    const url = linkIn(reply);
    expect(url, reply).toBeDefined();

    // Opening the page (as a link preview would) does not use the link up.
    for (let i = 0; i < 2; i++) {
      const pageRes = await fetch(url!);
      expect(pageRes.status).toBe(200);
      expect(await pageRes.text()).toContain('<form method="post">');
    }
    const first = await fetch(url!, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-disposition")).toMatch(/attachment; filename=".*\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await first.arrayBuffer());
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("Lớp 5S");
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(["STT", "Họ và tên", "Điện thoại", "Doanh nghiệp", "Mã số thuế", "Chức vụ", "Trạng thái", "Số chỗ", "Vị trí chờ", "Đăng ký lúc", "Hủy lúc"]);
    const rows = [ws.getRow(2).values, ws.getRow(3).values] as unknown[][];
    expect(rows.map((r) => [r[3], r[7], r[9]])).toEqual([["0901111111", "Đã có chỗ", undefined], ["0902222222", "Danh sách chờ", 1]]);
    // Local time, not UTC ISO.
    expect(String(rows[0]![10])).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);

    const second = await fetch(url!, { method: "POST" });
    expect(second.status).toBe(410);
    expect(await second.text()).toContain("đã được dùng");
    expect((await fetch(url!)).status).toBe(410);
    expect((await fetch(`${base}/files/not-a-real-token-aaaaaaaaaaaa`, { method: "POST" })).status).toBe(404);
  }, 60_000);

  it("a person who types the course's code on Zalo lands on its page", async () => {
    const courseId = await createCoursesRepo(db).create({
      title: { vi: "Lớp ISO" }, description: { vi: "ISO 9001" }, startAt: new Date("2030-11-20T01:00:00Z"), endAt: new Date("2030-11-20T04:00:00Z"),
      deadline: new Date("2030-11-20T01:00:00Z"), place: "Cam Ranh", capacity: 5, audience: ["workers"], status: "open",
    });
    const code = await createCourseCodesRepo(db).codeFor(courseId);
    const before = fake.sent.length;
    fake.pushUpdate(fake.textUpdate("visitor-1", code.toLowerCase()));
    const sent = await fake.waitForSent(before + 1, 15_000);
    const page = sent.slice(before).map((m) => m.text).join("\n");
    expect(page).toContain("Lớp ISO");
    expect(page).toContain(app.renderer.render({ key: "courses:details.register" }, "vi"));
  }, 60_000);

  it("refuses a link after 15 minutes", async () => {
    await say("/export");
    const url = linkIn(await say("2"));
    expect(url).toBeDefined();
    offsetMs = 15 * 60_000 + 1_000;
    try {
      const late = await fetch(url!, { method: "POST" });
      expect(late.status).toBe(410);
      expect(await late.text()).toContain("hết hạn");
    } finally {
      offsetMs = 0;
    }
  }, 60_000);
});
