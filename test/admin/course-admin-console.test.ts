/**
 * CourseAdmin operations the console added (usable from chat and CLI too): past dates refused when
 * typed (only changed ones on an edit), every problem by field on an edit, the description saved,
 * the list soonest first, a course's roster (seats in order, the waiting in line order).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { pastDateProblems, soonestFirst } from "../../src/admin/course-admin.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import type { Database } from "../../src/db/database.js";
import { openTestDatabase } from "../helpers/db.js";

const TZ = "Asia/Ho_Chi_Minh";
const NOW = new Date("2030-06-01T00:00:00Z");

describe("course admin: console operations", () => {
  it("calls a typed date in the past past, leaving unreadable ones to the parser", () => {
    expect(pastDateProblems({ start: "2030-05-31T08:00", end: "2030-06-02T08:00", deadline: "x" }, TZ, NOW)).toEqual([{ field: "start", reason: "staff:course.errors.past" }]);
    expect(pastDateProblems({ start: "2030-06-01T08:00" }, TZ, NOW)).toEqual([]);
  });

  it("orders courses not yet over soonest first, then past ones latest first", () => {
    const c = (id: string, start: string, hours = 2) => ({ id, startAt: new Date(start), endAt: new Date(new Date(start).getTime() + hours * 3_600_000) });
    const list = [c("past-old", "2030-01-01T00:00Z"), c("later", "2030-09-01T00:00Z"), c("running", "2030-05-31T23:00Z"), c("past-new", "2030-05-01T00:00Z"), c("soon", "2030-06-02T00:00Z")];
    expect(soonestFirst(list, NOW).map((x) => x.id)).toEqual(["running", "soon", "later", "past-new", "past-old"]);
  });

  describe("with the database", () => {
    let db: Database;
    let staff: StaffModule;
    beforeAll(async () => {
      db = await openTestDatabase("admin_course_console");
      staff = createStaffModule({ db, staffIds: [], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: TZ, reminderOffsetsHours: [], ratePerSec: { telegram: 30, zalo: 10 } });
    });
    afterAll(async () => {
      await db?.close();
    });
    const fields = { title_vi: "Lớp A", start: "2031-01-10T08:00", end: "2031-01-10T11:00", place: "Nha Trang", capacity: "2" };

    it("refuses past dates on create only when asked (with now), every problem at once", async () => {
      const refused = await staff.courses.create({ ...fields, start: "2020-01-01T08:00", capacity: "0" }, { now: new Date() });
      expect(refused).toEqual({ ok: false, problems: [{ field: "capacity", reason: "staff:course.errors.capacity" }, { field: "start", reason: "staff:course.errors.past" }] });
      expect(await db.models.course.countDocuments({ "title.vi": "Lớp A" })).toBe(0);
    });

    it("on edit: names every problem by field, refuses a date changed to the past, keeps unchanged past dates, saves the description", async () => {
      const created = await staff.courses.create(fields, { now: new Date() });
      if (!created.ok) throw new Error("not created");
      const refused = await staff.courses.edit(created.id, { end: "2031-01-10T07:00", deadline: "2031-01-11T08:00" }, { now: new Date() });
      expect(refused).toMatchObject({ ok: false, reason: "staff:course.errors.end_before_start", problems: [{ field: "end" }, { field: "deadline" }] });
      expect(await staff.courses.edit(created.id, { start: "2021-01-10T08:00" }, { now: new Date() })).toMatchObject({ ok: false, problems: [{ field: "start", reason: "staff:course.errors.past" }] });
      // A course already over can still be corrected (its dates are not typed again).
      const repo = createCoursesRepo(db);
      const old = await repo.create({ title: { vi: "Lớp cũ" }, description: { vi: "Lớp cũ" }, startAt: new Date("2021-01-01T01:00Z"), endAt: new Date("2021-01-01T03:00Z"), deadline: new Date("2021-01-01T01:00Z"), place: "Nha Trang", capacity: 5, audience: ["workers"], status: "open" });
      expect(await staff.courses.edit(old, { start: "2021-01-01T08:00", description_vi: "Mô tả mới", audience: "leaders" }, { now: new Date() })).toMatchObject({ ok: true, moved: false });
      expect(await repo.findById(old)).toMatchObject({ description: { vi: "Mô tả mới" }, audience: ["leaders"] });
    });

    it("gives a course's roster: seats in order, the waiting in line order", async () => {
      const created = await staff.courses.create({ ...fields, title_vi: "Lớp B", capacity: "1" });
      if (!created.ok) throw new Error("not created");
      const registration = createRegistrationService({ db });
      for (const n of [1, 2, 3]) await registration.register({ courseId: created.id, contactId: `telegram:${n}`, fullName: `Người ${n}`, phone: `+8490000000${n}`, enterprise: n === 2 ? { kind: "name", name: "Công ty X" } : null, jobTitle: null, consentAt: new Date() }, new Date());
      const roster = await staff.courses.roster(created.id);
      expect(roster!.confirmed.map((r) => r.fullName)).toEqual(["Người 1"]);
      expect(roster!.waitlisted.map((r) => r.fullName)).toEqual(["Người 2", "Người 3"]);
      expect(await staff.courses.roster("nope")).toBeNull();
    });
  });
});
