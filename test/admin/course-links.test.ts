/**
 * Sign-up links and QR codes: a course gets one short code (KH<n>) even when asked for twice at
 * once, a Telegram deep link and a PNG QR code; a typed code or the deep link lands on the
 * course's page with its registration, on any channel (the same Bot wrapper serves them all).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseCodeIncoming, withCourseCodes } from "../../src/channels/shared/course-code-entry.js";
import type { StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import { createCourseCodesRepo } from "../../src/db/course-codes-repo.js";
import { parseCourseCode } from "../../src/domain/course-code.js";
import type { Bot, UserRef } from "../../src/engine/messages.js";
import { openTestDatabase } from "../helpers/db.js";
import { renderer, startStaffBot } from "../helpers/staff-bot.js";

const STAFF: UserRef = { channel: "telegram", userId: "500" };
const PERSON: UserRef = { channel: "zalo", userId: "p-1" };

describe("course codes (pure)", () => {
  it.each([["KH12", "KH12"], ["kh 12", "KH12"], [" Kh-7 ", "KH7"], ["KH", null], ["khach", null], ["KH12a", null]])("reads %j", (input, code) => {
    expect(parseCourseCode(input)).toBe(code);
  });
  it("turns a deep link and a typed code into /courses <code>, and leaves other text alone", () => {
    const m = (text: string) => courseCodeIncoming({ user: PERSON, kind: "text", text }).text;
    expect(m("/start KH3")).toBe("/courses KH3");
    expect(m("/start@nscl_bot KH3")).toBe("/courses KH3");
    expect(m("kh3")).toBe("/courses KH3");
    expect(m("/start")).toBe("/start");
    expect(m("khóa học")).toBe("khóa học");
  });
});

describe("course links", () => {
  let db: Database;
  let staff: StaffModule;
  let bot: Bot;
  let courseId: string;
  const sayAs = async (user: UserRef, text: string) => (await bot.handle({ user, kind: "text", text })).map((o) => [o.text, ...(o.choices ?? []).map((c) => c.label)].join("\n")).join("\n");

  beforeAll(async () => {
    db = await openTestDatabase("admin_course_links");
    const s = startStaffBot(db, `${STAFF.channel}:${STAFF.userId}`, { deepLink: (code) => `https://t.me/nscl_test_bot?start=${code}` });
    staff = s.staff;
    bot = withCourseCodes(s.bot);
    const c = await staff.courses.create({ title_vi: "Lớp Kaizen", title_en: "Kaizen course", start: "20/12/2030 08:00", end: "20/12/2030 11:00", place: "Nha Trang", capacity: "10" });
    if (!c.ok) throw new Error("course");
    courseId = c.id;
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });

  it("gives a course one code even when asked twice at once, and another course another", async () => {
    const codes = createCourseCodesRepo(db);
    const [a, b] = await Promise.all([codes.codeFor(courseId), codes.codeFor(courseId)]);
    expect(a).toBe(b);
    expect(a).toMatch(/^KH\d+$/);
    expect(await codes.courseOf(a)).toBe(courseId);
    const other = await staff.courses.create({ title_vi: "Lớp 5S", start: "21/12/2030 08:00", end: "21/12/2030 11:00", place: "Nha Trang", capacity: "10" });
    if (!other.ok) throw new Error("course");
    expect(await codes.codeFor(other.id)).not.toBe(a);
  });

  it("/courselink gives the Telegram link, the Zalo code and a PNG QR code", async () => {
    await sayAs(STAFF, "/courselink");
    // The staff list is newest start first: the Kaizen course (20/12) is the second.
    const out = await bot.handle({ user: STAFF, kind: "text", text: "2" });
    const text = out.map((o) => o.text).join("\n");
    const doc = out.find((o) => o.document)?.document;
    expect(text).toMatch(/https:\/\/t\.me\/nscl_test_bot\?start=KH\d+/);
    expect(doc?.mimeType).toBe("image/png");
    expect([...doc!.content.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it("a typed code and a deep link land on the course's page with its registration", async () => {
    const code = await createCourseCodesRepo(db).codeFor(courseId);
    const typed = await sayAs(PERSON, code.toLowerCase());
    expect(typed).toContain("Lớp Kaizen");
    expect(typed).toContain(renderer.render({ key: "courses:details.offer" }, "vi"));
    const deep = await sayAs({ channel: "telegram", userId: "600" }, `/start ${code}`);
    expect(deep).toContain("Lớp Kaizen");
    expect(deep).toContain(renderer.render({ key: "courses:details.register" }, "vi"));
    const unknown = await sayAs(PERSON, "KH999");
    expect(unknown).toContain(renderer.render({ key: "courses:code.unknown", params: { code: "KH999" } }, "vi"));
  });
});
