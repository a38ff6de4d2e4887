/** Course pages people can read: correct English plurals, the description's fallback, an online course shown as online. */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationActions } from "../../src/actions/courses.js";
import { parseCourseFields } from "../../src/admin/course-admin.js";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import type { ActionContext } from "../../src/engine/actions.js";
import type { Locale } from "../../src/engine/messages.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { openTestDatabase } from "../helpers/db.js";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const now = new Date("2030-01-01T00:00:00Z");
const ctx = (data: Record<string, unknown>, locale: Locale): ActionContext => ({ user: { channel: "telegram", userId: "p1" }, locale, data, vars: {}, now, isStaff: false });

describe("course pages", () => {
  let db: Database;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    db = await openTestDatabase("course_pages");
    const repo = createCoursesRepo(db);
    // Made the way staff make them: a skipped description, an online link typed as the place.
    for (const [name, fields] of Object.entries({
      online: { title_vi: "Lớp trực tuyến", start: "10/02/2030 08:00", end: "10/02/2030 10:00", place: "https://meet.example.vn/abc", capacity: "1" },
      described: { title_vi: "Lớp 5S", description_vi: "Thực hành 5S tại xưởng", start: "05/02/2030 08:00", end: "05/02/2030 10:00", place: "Nha Trang", capacity: "3" },
    })) {
      const parsed = parseCourseFields(fields, "Asia/Ho_Chi_Minh");
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      ids[name] = await repo.create(parsed.input);
    }
  });
  afterAll(async () => {
    await db?.close();
  });
  const page = async (id: string, locale: Locale) => {
    const r = await createRegistrationActions({ db }).show_course(ctx({ course_id: id }, locale));
    return (r.say ?? []).map((m) => renderer.render(m, locale)).join("\n");
  };

  it("lists the soonest first, with English plurals", async () => {
    const list = await createRegistrationActions({ db }).list_open_courses(ctx({}, "en"));
    const labels = list.choices!.map((c) => renderer.render(c.label, "en"));
    expect(labels[0]).toMatch(/^Lớp 5S — .* \(3 seats left\)$/);
    expect(labels[1]).toMatch(/\(1 seat left\)$/);
    expect(renderer.render(list.choices![1]!.label, "vi")).toMatch(/\(còn 1 chỗ\)$/);
  });

  it("shows an online course as online, without repeating the title as its description", async () => {
    const vi = await page(ids.online!, "vi");
    expect(vi).toContain("https://meet.example.vn/abc");
    expect(vi).not.toMatch(/Địa điểm: https/);
    expect(vi.split("Lớp trực tuyến").length).toBe(2);
    const en = await page(ids.online!, "en");
    expect(en).toContain("Online: https://meet.example.vn/abc");
    expect(en).toContain("1 of 1 seats left.");
  });

  it("gives English readers the Vietnamese description said to be so", async () => {
    expect(await page(ids.described!, "en")).toContain("Description (in Vietnamese): Thực hành 5S tại xưởng");
    expect(await page(ids.described!, "vi")).toContain("Thực hành 5S tại xưởng");
  });
});
