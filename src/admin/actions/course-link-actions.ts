import type { ActionRegistry, ActionResult } from "../../engine/actions.js";
import type { CourseLinks } from "../course-links.js";
import { staffOnly, str } from "./staff-only.js";

/** Action names of sign-up links (the public `open_course_code` is in src/actions/course-code.ts). */
export const COURSE_LINK_ACTION_NAMES = ["staff_course_link"] as const;

/** The sign-up link actions. */
export function createCourseLinkActions(deps: { links: CourseLinks }): ActionRegistry {
  return {
    staff_course_link: staffOnly(async (ctx): Promise<ActionResult> => {
      const link = await deps.links.linkFor(str(ctx.data.course_id) ?? "");
      if (!link) return { say: [{ key: "staff:course.errors.not_found" }] };
      const title = ctx.locale === "en" ? (link.title.en ?? link.title.vi) : link.title.vi;
      return {
        say: [
          link.url ? { key: "staff:link.text", params: { title, code: link.code, url: link.url } } : { key: "staff:link.text_no_telegram", params: { title, code: link.code } },
        ],
        document: await deps.links.qrPng(link),
      };
    }),
  };
}
