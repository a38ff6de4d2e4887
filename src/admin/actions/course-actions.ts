import type { ActionRegistry, ActionResult } from "../../engine/actions.js";
import type { Msg } from "../../engine/messages.js";
import type { CourseAdmin, CourseFields, FieldProblem } from "../course-admin.js";
import { staffEffect, staffOnly, str, type AuthoriseStaff } from "./staff-only.js";

/** Action names of the staff course flows. */
export const COURSE_ACTION_NAMES = [
  "staff_course_list",
  "staff_course_choices",
  "staff_course_create",
  "staff_course_edit",
  "staff_course_close",
  "staff_course_cancel",
  "staff_export_registrations",
  "staff_export_enterprises",
] as const;

const FIELDS: ReadonlyArray<keyof CourseFields> = ["title_vi", "title_en", "description_vi", "description_en", "start", "end", "place", "online_url", "capacity", "deadline", "audience"];
const EDITABLE: ReadonlyArray<keyof CourseFields> = ["start", "end", "place", "online_url", "capacity", "deadline", "title_vi", "title_en"];

function problemsSay(problems: FieldProblem[]): Msg[] {
  return problems.map((p) => ({ key: p.reason, params: { field: p.field } }));
}

/** The staff course flows: list, create, edit, close or cancel, export. */
export function createCourseActions(deps: { courses: CourseAdmin; authorise: AuthoriseStaff }): ActionRegistry {
  // Changes and exports are authorised against the current staff list; listings use the cached answer.
  const effect = (handler: Parameters<typeof staffEffect>[1]) => staffEffect(deps.authorise, handler);
  const courseId = (data: Readonly<Record<string, unknown>>) => str(data.course_id) ?? "";
  return {
    staff_course_list: staffOnly(async () => {
      const list = await deps.courses.list(30);
      if (list.length === 0) return { say: [{ key: "staff:course.list_empty" }] };
      return {
        say: [
          { key: "staff:course.list_title" },
          ...list.map((c) => ({
            key: `staff:course.line.${c.status}`,
            params: { id: c.id, title: c.title.vi, start: c.startAt, confirmed: c.confirmed, capacity: c.capacity, waitlisted: c.waitlisted },
          })),
        ],
      };
    }),
    staff_course_choices: staffOnly(async (): Promise<ActionResult> => {
      const list = (await deps.courses.list(20)).filter((c) => c.status !== "cancelled");
      if (list.length === 0) return { outcome: "none", say: [{ key: "staff:course.list_empty" }] };
      return { choices: list.map((c) => ({ id: c.id, label: { key: "staff:course.choice", params: { title: c.title.vi, start: c.startAt } } })) };
    }),
    staff_course_create: effect(async (ctx): Promise<ActionResult> => {
      const fields: CourseFields = {};
      for (const f of FIELDS) {
        const v = str(ctx.data[f]);
        if (v) fields[f] = v;
      }
      const result = await deps.courses.create(fields);
      if (!result.ok) return { outcome: "invalid", say: problemsSay(result.problems) };
      return { say: [{ key: "staff:course.created", params: { id: result.id } }] };
    }),
    staff_course_edit: effect(async (ctx): Promise<ActionResult> => {
      const field = str(ctx.data.field) as keyof CourseFields | undefined;
      const value = str(ctx.data.new_value);
      if (!field || !EDITABLE.includes(field) || !value) return { outcome: "invalid", say: [{ key: "staff:course.errors.choose_field" }] };
      const result = await deps.courses.edit(courseId(ctx.data), { [field]: value });
      if (!result.ok) return { outcome: "invalid", say: [{ key: result.reason, params: { field } }] };
      return { say: [{ key: result.moved ? "staff:course.moved" : "staff:course.updated" }] };
    }),
    staff_course_close: effect(async (ctx): Promise<ActionResult> => {
      const result = await deps.courses.close(courseId(ctx.data));
      return { say: [{ key: result.ok ? "staff:course.closed" : result.reason }] };
    }),
    staff_course_cancel: effect(async (ctx): Promise<ActionResult> => {
      const result = await deps.courses.cancel(courseId(ctx.data));
      return { say: [{ key: result.ok ? "staff:course.cancelled" : result.reason }] };
    }),
    staff_export_registrations: effect(async (ctx): Promise<ActionResult> => {
      const document = await deps.courses.exportRegistrations(courseId(ctx.data));
      if (!document) return { say: [{ key: "staff:course.errors.not_found" }] };
      return { say: [{ key: "staff:export.ready" }], document };
    }),
    staff_export_enterprises: effect(async (): Promise<ActionResult> => {
      return { say: [{ key: "staff:export.ready" }], document: await deps.courses.exportEnterprises() };
    }),
  };
}
