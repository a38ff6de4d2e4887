import { bindActions, defineActions, type ActionResult, type ActionsOf } from "../../engine/actions.js";
import type { CourseLinks } from "../course-links.js";
import { str } from "./staff-only.js";

/** The sign-up link action (the public `open_course_code` is in src/actions/course-code.ts). */
export const COURSE_LINK_ACTIONS = defineActions({
  staff_course_link: { staff: "read" },
});

/** The sign-up link actions. */
export function createCourseLinkActions(deps: { links: CourseLinks }): ActionsOf<typeof COURSE_LINK_ACTIONS> {
  return bindActions(COURSE_LINK_ACTIONS, {
    staff_course_link: async (ctx): Promise<ActionResult> => {
      const link = await deps.links.linkFor(str(ctx.data.course_id) ?? "");
      if (!link) return { say: [{ key: "staff:course.errors.not_found" }] };
      const title = ctx.locale === "en" ? (link.title.en ?? link.title.vi) : link.title.vi;
      return {
        say: [
          link.url ? { key: "staff:link.text", params: { title, code: link.code, url: link.url } } : { key: "staff:link.text_no_deep_link", params: { title, code: link.code } },
        ],
        document: await deps.links.qrPng(link),
      };
    },
  });
}
