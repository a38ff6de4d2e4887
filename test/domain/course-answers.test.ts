import { describe, expect, it } from "vitest";
import { futureDateTime, parseAnnouncement, parseCapacity, parseDateTimeAnswer, parsePlaceOrLink } from "../../src/domain/course-answers.js";

const TZ = "Asia/Ho_Chi_Minh";
const now = new Date("2026-12-01T00:00:00Z");

describe("course answers", () => {
  it.each([
    ["25/12/2026 08:00", "2026-12-25T01:00:00.000Z"],
    ["25/12/2026 8h", "2026-12-25T01:00:00.000Z"],
    ["25-12-2026 8:30", "2026-12-25T01:30:00.000Z"],
    ["25.12.2026", "2026-12-24T17:00:00.000Z"],
    ["2026-12-25 08:00", "2026-12-25T01:00:00.000Z"],
    ["29/02/2028 09:00", "2028-02-29T02:00:00.000Z"],
  ])("reads %j in Vietnam time", (input, iso) => {
    const r = parseDateTimeAnswer(input, TZ);
    expect(r.ok && r.value.toISOString()).toBe(iso);
  });

  it.each([
    ["25/13/2026 08:00", "staff:course.errors.month", { month: 13 }],
    ["31/11/2026 08:00", "staff:course.errors.day", { day: 31, month: 11, days: 30 }],
    ["29/02/2027 08:00", "staff:course.errors.day", { day: 29, month: 2, days: 28 }],
    ["25/12/2026 25:00", "staff:course.errors.time_of_day", undefined],
    ["25/12/2026 08:61", "staff:course.errors.time_of_day", undefined],
    ["thứ hai tới", "staff:course.errors.date_format", undefined],
    ["", "staff:course.errors.date_format", undefined],
  ])("refuses %j with the reason", (input, reason, params) => {
    expect(parseDateTimeAnswer(input, TZ)).toEqual({ ok: false, reason, ...(params ? { params } : {}) });
  });

  it("refuses a past time and stores a future one as ISO", () => {
    expect(futureDateTime("30/11/2026 08:00", TZ, now)).toEqual({ ok: false, reason: "staff:course.errors.past" });
    expect(futureDateTime("02/12/2026 08:00", TZ, now)).toEqual({ ok: true, value: "2026-12-02T01:00:00.000Z" });
  });

  it.each([["40", 40], ["40 chỗ", 40], ["1.000", 1000], ["10 000", 10000]])("reads capacity %j", (input, n) => {
    expect(parseCapacity(input)).toEqual({ ok: true, value: n });
  });
  it.each(["0", "-3", "2.5", "10001", "bốn mươi", ""])("refuses capacity %j", (input) => {
    expect(parseCapacity(input)).toEqual({ ok: false, reason: "staff:course.errors.capacity" });
  });

  it("reads a place or a link", () => {
    expect(parsePlaceOrLink("  Hội trường   Sở ")).toEqual({ ok: true, value: "Hội trường Sở" });
    expect(parsePlaceOrLink("https://meet.example.vn/x")).toEqual({ ok: true, value: "https://meet.example.vn/x" });
    expect(parsePlaceOrLink("www.example.vn/x")).toEqual({ ok: true, value: "https://www.example.vn/x" });
    expect(parsePlaceOrLink("http://")).toEqual({ ok: false, reason: "staff:course.errors.url" });
  });

  it("keeps an announcement's line breaks and bounds its length", () => {
    expect(parseAnnouncement(" Dòng 1\r\n\r\n\r\nDòng  2 ")).toEqual({ ok: true, value: "Dòng 1\n\nDòng 2" });
    expect(parseAnnouncement("   ")).toEqual({ ok: false, reason: "staff:broadcast.errors.text" });
    expect(parseAnnouncement("x".repeat(4001))).toMatchObject({ ok: false, reason: "staff:broadcast.errors.too_long" });
  });
});
