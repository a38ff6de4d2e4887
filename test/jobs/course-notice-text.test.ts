/** Course notices name an online course's link as "online", never as a place (issue #14 item 3). */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createRenderer } from "../../src/i18n/renderer.js";
import { courseParams } from "../../src/jobs/reminders.js";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const base = { id: "c1", status: "open" as const, title: { vi: "Lớp 5S", en: "5S course" }, startAt: new Date("2026-03-10T01:00:00Z"), endAt: new Date("2026-03-10T09:00:00Z") };

describe("course notice texts", () => {
  for (const key of ["staff:notices.reminder", "staff:notices.course_rescheduled"] as const) {
    it(`${key}: an online course shows its link as online, a course with a place shows the place`, () => {
      const online = { ...base, place: null, onlineUrl: "https://meet.example.vn/5s" };
      const vi = renderer.render({ key, params: { ...courseParams(online), hours: 2 } }, "vi");
      const en = renderer.render({ key, params: { ...courseParams(online), hours: 2 } }, "en");
      expect(vi).toContain("Học trực tuyến: https://meet.example.vn/5s");
      expect(vi).not.toContain("Địa điểm");
      expect(en).toContain("Online: https://meet.example.vn/5s");
      expect(en).not.toContain("Place");
      const inRoom = renderer.render({ key, params: { ...courseParams({ ...base, place: "Sở KH&CN, 04 Phan Chu Trinh", onlineUrl: null }), hours: 2 } }, "vi");
      expect(inRoom).toContain("Địa điểm: Sở KH&CN, 04 Phan Chu Trinh");
      expect(inRoom).not.toContain("trực tuyến");
    });
  }
});
