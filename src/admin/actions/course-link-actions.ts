import type { ActionRegistry, ActionResult } from "../../engine/actions.js";
import type { CourseLinks } from "../course-links.js";
import { staffOnly, str } from "./staff-only.js";

/** Action names of sign-up links: `open_course_code` (anyone: a code or deep link lands on the course), `staff_course_link`. */
export const COURSE_LINK_ACTION_NAMES = ["open_course_code", "staff_course_link"] as const;

/** The sign-up link actions. */
export function createCourseLinkActions(deps: { links: CourseLinks }): ActionRegistry {
  return {
    // `/courses KH12` (from a typed code or a Telegram deep link): straight to that course.
    open_course_code: async (ctx): Promise<ActionResult> => {
      const args = str(ctx.data.args);
      if (!args) return {};
      const courseId = await deps.links.courseOf(args);
      if (!courseId) return { say: [{ key: "courses:code.unknown", params: { code: args } }], data: { args: null } };
      return { outcome: "direct", data: { course_id: courseId, args: null } };
    },
    staff_course_link: staffOnly(async (ctx): Promise<ActionResult> => {
      const link = await deps.links.linkFor(str(ctx.data.course_id) ?? "");
      if (!link) return { say: [{ key: "staff:course.errors.not_found" }] };
      const title = ctx.locale === "en" ? (link.title.en ?? link.title.vi) : link.title.vi;
      return {
        say: [
          link.telegramUrl ? { key: "staff:link.text", params: { title, code: link.code, url: link.telegramUrl } } : { key: "staff:link.text_no_telegram", params: { title, code: link.code } },
        ],
        document: await deps.links.qrPng(link),
      };
    }),
  };
}
