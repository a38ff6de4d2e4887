/**
 * Sample courses so the course flows can be tried before staff create real ones. They are
 * marked "(mẫu)/(sample)", hold no real dates or places, and have fixed ids so seeding twice
 * adds nothing.
 */
import type { CoursesRepo } from "./courses-repo.js";
import { isDuplicateKey } from "./errors.js";
import { courseInputSchema, type CourseInput } from "../domain/course.js";

const DAY = 24 * 60 * 60 * 1000;

/** 08:00 in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) `days` days after `now`. */
function morningIn(now: Date, days: number): Date {
  const d = new Date(now.getTime() + days * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 1, 0, 0));
}

/** The sample courses for a given "now" (ids → input). */
export function sampleCourses(now: Date): { id: string; input: CourseInput }[] {
  const course = (days: number, hours: number, rest: Omit<CourseInput, "startAt" | "endAt" | "deadline" | "status">): CourseInput => {
    const startAt = morningIn(now, days);
    return courseInputSchema.parse({ ...rest, startAt, endAt: new Date(startAt.getTime() + hours * 3_600_000), deadline: new Date(startAt.getTime() - 2 * DAY) });
  };
  return [
    {
      id: "sample-course-1",
      input: course(21, 8, {
        title: { vi: "(Mẫu) Tập huấn công cụ cải tiến năng suất chất lượng", en: "(Sample) Training on productivity and quality improvement tools" },
        description: { vi: "Khóa học mẫu để thử đăng ký; cán bộ Sở sẽ thay bằng khóa học thật.", en: "A sample course to try registration; staff will replace it with real courses." },
        place: "(Mẫu) Địa điểm do Sở Khoa học và Công nghệ thông báo",
        capacity: 30,
        audience: ["workers"],
      }),
    },
    {
      id: "sample-course-2",
      input: course(14, 4, {
        title: { vi: "(Mẫu) Nâng cao năng suất chất lượng dành cho lãnh đạo doanh nghiệp", en: "(Sample) Productivity and quality for enterprise leaders" },
        description: { vi: "Khóa học mẫu trực tuyến để thử đăng ký.", en: "A sample online course to try registration." },
        onlineUrl: "https://example.org/khoa-hoc-mau",
        capacity: 20,
        audience: ["leaders"],
      }),
    },
    {
      id: "sample-course-3",
      input: course(7, 4, {
        title: { vi: "(Mẫu) Lớp nhỏ 2 chỗ để thử danh sách chờ", en: "(Sample) A 2-seat class to try the waiting list" },
        description: { vi: "Khóa học mẫu chỉ có 2 chỗ: người thứ ba vào danh sách chờ.", en: "A sample course with only 2 seats: the third person joins the waiting list." },
        place: "(Mẫu) Địa điểm do Sở Khoa học và Công nghệ thông báo",
        capacity: 2,
        audience: ["workers", "officials"],
      }),
    },
  ];
}

/** Creates the sample courses that do not exist yet; returns how many were created. */
export async function seedSampleCourses(courses: CoursesRepo, now: Date): Promise<number> {
  let created = 0;
  for (const { id, input } of sampleCourses(now)) {
    try {
      await courses.create(input, id);
      created++;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  return created;
}
