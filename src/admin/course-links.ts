/** Sign-up links for posters: a course's code, its Telegram deep link and a PNG QR code of it. */
import QRCode from "qrcode";
import type { CourseCodesRepo } from "../db/course-codes-repo.js";
import type { CoursesRepo } from "../db/courses-repo.js";
import { telegramDeepLink } from "../domain/course-code.js";
import type { OutgoingDocument } from "../engine/messages.js";

/** A course's sign-up link. */
export interface CourseLink {
  courseId: string;
  title: { vi: string; en: string | null };
  /** What people type on Zalo (and anywhere): `KH12`. */
  code: string;
  /** `https://t.me/<bot>?start=KH12`, when the bot's Telegram username is known. */
  telegramUrl: string | null;
}

/** What course links need. */
export interface CourseLinksDeps {
  codes: CourseCodesRepo;
  courses: CoursesRepo;
  /** The bot's Telegram username (`TELEGRAM_BOT_USERNAME`, or what Telegram said at start). */
  telegramUsername: () => string | undefined;
}

/** Course links: make one, find the course behind a code, draw the QR code. */
export function createCourseLinks(deps: CourseLinksDeps) {
  return {
    /** The link of a course (its code assigned on first use); null when the course does not exist. */
    async linkFor(courseId: string): Promise<CourseLink | null> {
      const course = await deps.courses.findById(courseId);
      if (!course) return null;
      const code = await deps.codes.codeFor(courseId);
      const username = deps.telegramUsername();
      return { courseId, title: course.title, code, telegramUrl: username ? telegramDeepLink(username, code) : null };
    },
    /** A PNG QR code of the Telegram link (or, without one, of the code), for a poster. */
    async qrPng(link: CourseLink): Promise<OutgoingDocument> {
      const content = await QRCode.toBuffer(link.telegramUrl ?? link.code, { type: "png", errorCorrectionLevel: "M", margin: 2, width: 600 });
      return { filename: `dang-ky-${link.code}.png`, mimeType: "image/png", content };
    },
  };
}

/** Course links. */
export type CourseLinks = ReturnType<typeof createCourseLinks>;
