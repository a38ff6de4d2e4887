import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { sampleCourses, seedSampleCourses } from "../../src/db/seed-courses.js";
import { openTestDatabase } from "../helpers/db.js";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase("h3_seed_courses");
});
afterAll(async () => {
  await db?.close();
});

describe("sample courses", () => {
  const now = new Date("2026-05-01T12:00:00Z");

  it("are valid courses open for registration, starting at 08:00 Vietnam time", () => {
    for (const { input } of sampleCourses(now)) {
      expect(input.startAt.getTime()).toBeGreaterThan(now.getTime());
      expect(input.deadline.getTime()).toBeGreaterThan(now.getTime());
      expect(input.startAt.getUTCHours()).toBe(1);
      expect(input.title.vi).toMatch(/^\(Mẫu\)/);
    }
  });

  it("seeds once: a second run adds nothing, and they are listed soonest start first", async () => {
    const courses = createCoursesRepo(db);
    expect(await seedSampleCourses(courses, now)).toBe(3);
    expect(await seedSampleCourses(courses, now)).toBe(0);
    const { items, total } = await courses.listOpen(now, 0, 5);
    expect(total).toBe(3);
    expect(items.map((c) => c.id)).toEqual(["sample-course-3", "sample-course-2", "sample-course-1"]);
    expect(items.map((c) => c.seatsLeft)).toEqual([2, 20, 30]);
  });
});
