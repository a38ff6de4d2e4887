/** Sign-up links for posters: a course's code, a channel's deep link to it and a PNG QR code of it. */
import type { CourseCodesRepo } from "../db/course-codes-repo.js";
import type { CoursesRepo } from "../db/courses-repo.js";
import type { OutgoingDocument } from "../engine/messages.js";

/** A course's sign-up link. */
export interface CourseLink {
  courseId: string;
  title: { vi: string; en: string | null };
  /** What people type on any channel: `KH12`. */
  code: string;
  /** A deep link that opens the bot on the course (e.g. `https://t.me/<bot>?start=KH12`), when a channel has one. */
  url: string | null;
}

/** What course links need. */
export interface CourseLinksDeps {
  codes: CourseCodesRepo;
  courses: CoursesRepo;
  /** A channel's deep link carrying `payload`, when a running channel has deep links (capability `deepLink`). */
  deepLink: (payload: string) => string | undefined;
}

/** Course links: make one, find the course behind a code, draw the QR code. */
export function createCourseLinks(deps: CourseLinksDeps) {
  return {
    /** The link of a course (its code assigned on first use); null when the course does not exist. */
    async linkFor(courseId: string): Promise<CourseLink | null> {
      const course = await deps.courses.findById(courseId);
      if (!course) return null;
      const code = await deps.codes.codeFor(courseId);
      return { courseId, title: course.title, code, url: deps.deepLink(code) ?? null };
    },
    /** A PNG QR code of the deep link (or, without one, of the code), for a poster. */
    async qrPng(link: CourseLink): Promise<OutgoingDocument> {
      // Loaded on the first poster (~40 ms to import), not at every start.
      const { default: QRCode } = await import("qrcode");
      const content = await QRCode.toBuffer(link.url ?? link.code, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 600 });
      return { filename: `dang-ky-${link.code}.png`, mimeType: "image/png", content };
    },
  };
}

/** Course links. */
export type CourseLinks = ReturnType<typeof createCourseLinks>;
