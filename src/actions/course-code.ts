/** `open_course_code`: `/courses KH12` (a typed code or a sign-up deep link) goes straight to that course. */
import { bindActions, defineActions, type ActionResult, type ActionsOf } from "../engine/actions.js";
import type { Database } from "../db/database.js";
import { createCourseCodesRepo } from "../db/course-codes-repo.js";
import { parseCourseCode } from "../domain/course-code.js";

/** The course-code action. */
export const COURSE_CODE_ACTIONS = defineActions({ open_course_code: {} });

/** The course-code action: outcome `direct` with `data.course_id` when the code names a course. */
export function createCourseCodeActions(deps: { db: Database }): ActionsOf<typeof COURSE_CODE_ACTIONS> {
  let codes: ReturnType<typeof createCourseCodesRepo> | undefined;
  return bindActions(COURSE_CODE_ACTIONS, {
    open_course_code: async (ctx): Promise<ActionResult> => {
      const args = typeof ctx.data.args === "string" ? ctx.data.args.trim() : "";
      if (!args) return {};
      const code = parseCourseCode(args);
      codes ??= createCourseCodesRepo(deps.db);
      const courseId = code ? await codes.courseOf(code) : null;
      if (!courseId) return { say: [{ key: "courses:code.unknown", params: { code: args } }], data: { args: null } };
      return { outcome: "direct", data: { course_id: courseId, args: null } };
    },
  });
}
