import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createRenderer } from "../../src/i18n/renderer.js";
import { audienceFromAnswers, audienceMsgs } from "../../src/admin/actions/broadcast-actions.js";
import { parseCourseFields } from "../../src/admin/course-admin.js";
import { parseWhen } from "../../src/admin/when.js";
import type { Msg } from "../../src/engine/messages.js";

const TZ = "Asia/Ho_Chi_Minh";
const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: TZ });

describe("parseWhen", () => {
  it.each([
    ["25/12/2026 08:00", "2026-12-25T01:00:00.000Z"],
    ["5/1/2027 8:30", "2027-01-05T01:30:00.000Z"],
    ["2026-12-25 08:00", "2026-12-25T01:00:00.000Z"],
    ["25/12/2026", "2026-12-24T17:00:00.000Z"],
    ["2026-12-25T08:00:00Z", "2026-12-25T08:00:00.000Z"],
    ["2026-12-25T08:00", "2026-12-25T01:00:00.000Z"],
  ])("reads %s in Vietnam time", (input, iso) => {
    expect(parseWhen(input, TZ)?.toISOString()).toBe(iso);
  });
  it.each(["", "mai", "31/02/2026 08:00", "25/12/2026 25:00"])("rejects %j", (input) => {
    expect(parseWhen(input, TZ)).toBeNull();
  });
});

describe("parseCourseFields", () => {
  const good = { title_vi: "Lớp 5S", start: "25/12/2026 08:00", end: "25/12/2026 11:00", place: "Nha Trang", capacity: "30" };
  it("builds a course; the deadline defaults to the start and the audience to workers", () => {
    const r = parseCourseFields(good, TZ);
    expect(r.ok && r.input).toMatchObject({ title: { vi: "Lớp 5S" }, capacity: 30, audience: ["workers"], deadline: new Date("2026-12-25T01:00:00Z") });
  });
  it("reports every problem at once with a reason key", () => {
    const r = parseCourseFields({ start: "x", end: "", capacity: "2.5", audience: "kids" }, TZ);
    expect(r.ok ? [] : r.problems.map((p) => `${p.field}:${p.reason}`)).toEqual([
      "start:staff:course.errors.date",
      "end:staff:course.errors.date",
      "capacity:staff:course.errors.capacity",
      "audience:staff:course.errors.audience",
      "title_vi:staff:course.errors.title",
      "place:staff:course.errors.place",
    ]);
  });
  it("refuses an end before the start and a deadline after it", () => {
    const r = parseCourseFields({ ...good, end: "24/12/2026 08:00", deadline: "26/12/2026 08:00" }, TZ);
    expect(r.ok ? [] : r.problems.map((p) => p.reason).sort()).toEqual(["staff:course.errors.deadline_after_start", "staff:course.errors.end_before_start"]);
  });
});

describe("broadcast audience from the flow's answers", () => {
  it.each([
    [{ audience_kind: "all" }, { kind: "all" }],
    [{ audience_kind: "sector", sector: "handicrafts" }, { kind: "enterprises", sector: "handicrafts" }],
    [{ audience_kind: "course", course_id: "abc" }, { kind: "course", courseId: "abc" }],
    [{ audience_kind: "lang_en" }, { kind: "language", locale: "en" }],
    [{ audience_kind: "sector", sector: "mining" }, null],
    [{ audience_kind: "course" }, null],
    [{}, null],
  ])("%j → %j", (data, audience) => {
    expect(audienceFromAnswers(data)).toEqual(audience);
  });
  it("names a sector by its label and a course by its title", () => {
    const render = (m: Msg) => renderer.render(m, "en");
    expect(audienceMsgs({ kind: "enterprises", sector: "handicrafts" }).map(render)).toEqual([`Recipients: enterprises in “${renderer.render({ key: "policies:sectors.handicrafts" }, "en")}”`]);
    expect(audienceMsgs({ kind: "course", courseId: "c1" }, new Map([["c1", "Kaizen course"]])).map(render)).toEqual(["Recipients: participants of “Kaizen course”"]);
  });
});
