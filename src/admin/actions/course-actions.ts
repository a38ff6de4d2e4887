import { bindActions, defineActions, type ActionContext, type ActionResult, type ActionsOf, type AuthoriseStaff } from "../../engine/actions.js";
import type { Msg } from "../../engine/messages.js";
import type { CourseAdmin, CourseFields, ExportOptions, FieldProblem } from "../course-admin.js";
import { str } from "./staff-only.js";

/** The staff course actions: listings are staff reads; changes and exports ask the stored staff list at that moment. */
export const COURSE_ACTIONS = defineActions({
  staff_course_list: { staff: "read" },
  staff_course_choices: { staff: "read" },
  staff_course_check: { staff: "read" },
  staff_course_create: { staff: "effect" },
  staff_course_edit: { staff: "effect" },
  staff_course_edit_confirmed: { staff: "effect" },
  staff_course_reopen: { staff: "effect" },
  staff_course_close: { staff: "effect" },
  staff_course_cancel: { staff: "effect" },
  staff_export_registrations: { staff: "effect" },
  staff_export_enterprises: { staff: "effect" },
});

const FIELDS: ReadonlyArray<keyof CourseFields> = ["title_vi", "title_en", "description_vi", "description_en", "start", "end", "place", "online_url", "capacity", "deadline", "audience"];
const EDITABLE = ["start", "end", "place", "online_url", "capacity", "deadline", "title_vi", "title_en", "description_vi"] as const satisfies ReadonlyArray<keyof CourseFields>;
const isEditable = (field: string | undefined): field is (typeof EDITABLE)[number] => EDITABLE.some((f) => f === field);

function problemsSay(problems: FieldProblem[]): Msg[] {
  return problems.map((p) => ({ key: p.reason, params: { field: p.field } }));
}

/** The form's answers as course fields (numbers and lists as the text staff would type). */
function formFields(data: Readonly<Record<string, unknown>>): CourseFields {
  const fields: CourseFields = {};
  for (const f of FIELDS) {
    const v = data[f];
    const text = Array.isArray(v) ? v.join(",") : typeof v === "number" ? String(v) : str(v);
    if (text) fields[f] = text;
  }
  return fields;
}

/** `/export csv` asks for CSV; XLSX otherwise. */
const exportOptions = (ctx: ActionContext): ExportOptions => ({ locale: ctx.locale, format: /\bcsv\b/i.test(str(ctx.data.args) ?? "") ? "csv" : "xlsx" });

/** The staff course flows: list, create, edit, close or cancel, export. */
export function createCourseActions(deps: { courses: CourseAdmin; authorise: AuthoriseStaff }): ActionsOf<typeof COURSE_ACTIONS> {
  const courseId = (data: Readonly<Record<string, unknown>>) => str(data.course_id) ?? "";
  async function edit(ctx: ActionContext, confirmLower: boolean): Promise<ActionResult> {
    const field = str(ctx.data.field);
    const raw = ctx.data.new_value;
    const value = typeof raw === "number" ? String(raw) : str(raw);
    if (!isEditable(field) || !value) return { outcome: "invalid", say: [{ key: "staff:course.errors.choose_field" }] };
    const result = await deps.courses.edit(courseId(ctx.data), { [field]: value }, { confirmLower });
    if (!result.ok && result.confirmLower) return { outcome: "confirm_lower", vars: { held: result.confirmLower.held, capacity: result.confirmLower.capacity } };
    if (!result.ok) return { outcome: "invalid", say: [{ key: result.reason, params: { field } }] };
    const say: Msg[] = [{ key: result.moved ? "staff:course.moved" : "staff:course.updated" }];
    if (result.raised) say.push({ key: "staff:course.raised" });
    return { say };
  }
  return bindActions(COURSE_ACTIONS, {
    staff_course_list: async () => {
      const list = await deps.courses.list(30);
      if (list.length === 0) return { say: [{ key: "staff:course.list_empty" }] };
      return {
        say: [
          { key: "staff:course.list_title" },
          ...list.flatMap((c): Msg[] => [
            {
              key: `staff:course.line.${c.status}`,
              params: { id: c.id, title: c.title.vi, start: c.startAt, confirmed: c.confirmed, capacity: c.capacity, waitlisted: c.waitlisted },
            },
            // Seats were lowered below those held: say so instead of an unexplained "2/1".
            ...(c.status !== "cancelled" && c.confirmed > c.capacity ? [{ key: "staff:course.over_capacity", params: { over: c.confirmed - c.capacity } } satisfies Msg] : []),
          ]),
        ],
      };
    },
    staff_course_choices: async (): Promise<ActionResult> => {
      const list = (await deps.courses.list(20)).filter((c) => c.status !== "cancelled");
      if (list.length === 0) return { outcome: "none", say: [{ key: "staff:course.list_empty" }] };
      return { choices: list.map((c) => ({ id: c.id, label: { key: "staff:course.choice", params: { title: c.title.vi, start: c.startAt } } })) };
    },
    // The times typed so far agree (each was checked as typed; this checks them together).
    staff_course_check: async (ctx): Promise<ActionResult> => {
      const at = (f: string) => (typeof ctx.data[f] === "string" ? Date.parse(ctx.data[f]) : NaN);
      const [start, end, deadline] = [at("start"), at("end"), at("deadline")];
      if (end <= start) return { outcome: "end_before_start", say: [{ key: "staff:course.errors.end_before_start" }] };
      if (deadline > start) return { outcome: "deadline_after_start", say: [{ key: "staff:course.errors.deadline_after_start" }] };
      return {};
    },
    staff_course_create: async (ctx): Promise<ActionResult> => {
      const fields = formFields(ctx.data);
      const result = await deps.courses.create(fields);
      if (!result.ok) return { outcome: "invalid", say: problemsSay(result.problems) };
      return { say: [{ key: "staff:course.created", params: { id: result.id } }] };
    },
    staff_course_edit: (ctx) => edit(ctx, false),
    staff_course_edit_confirmed: (ctx) => edit(ctx, true),
    staff_course_reopen: async (ctx): Promise<ActionResult> => {
      const result = await deps.courses.reopen(courseId(ctx.data));
      return { say: [{ key: result.ok ? "staff:course.reopened" : result.reason }] };
    },
    staff_course_close: async (ctx): Promise<ActionResult> => {
      const result = await deps.courses.close(courseId(ctx.data));
      return { say: [{ key: result.ok ? "staff:course.closed" : result.reason }] };
    },
    staff_course_cancel: async (ctx): Promise<ActionResult> => {
      const result = await deps.courses.cancel(courseId(ctx.data));
      return { say: [{ key: result.ok ? "staff:course.cancelled" : result.reason }] };
    },
    staff_export_registrations: async (ctx): Promise<ActionResult> => {
      const document = await deps.courses.exportRegistrations(courseId(ctx.data), exportOptions(ctx));
      if (!document) return { say: [{ key: "staff:course.errors.not_found" }] };
      // What the file is; whether it was attached is said by the channel that sends it.
      return { document };
    },
    staff_export_enterprises: async (ctx): Promise<ActionResult> => {
      return { document: await deps.courses.exportEnterprises(exportOptions(ctx)) };
    },
  }, { authorise: deps.authorise });
}
