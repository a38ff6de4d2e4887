/**
 * The course form of the console: what the browser posts as the course fields the chat and the
 * CLI use (`CourseFields`), a course's values as the form shows them (date pickers hold wall time
 * in the office's zone), and the service's problems by field, to show next to each.
 */
import { fieldsOf } from "../../shared/guards.js";
import { DateTime } from "luxon";
import type { CourseFields, FieldProblem } from "../../admin/course-admin.js";
import type { CourseRecord } from "../../db/courses-repo.js";

/** The form's fields, in the order shown. */
export const FORM_FIELDS = ["title_vi", "title_en", "description_vi", "description_en", "start", "end", "deadline", "place", "online_url", "capacity", "audience"] as const satisfies ReadonlyArray<keyof CourseFields>;

/** What a form shows: one string per field (the audience as a comma-separated list). */
export type FormValues = Record<(typeof FORM_FIELDS)[number], string>;

/** A message next to a field: a text key and its params. */
export interface FieldMessage {
  key: string;
  params: Record<string, string | number>;
}

/** The values of an empty form (the chat's defaults: workers; the deadline is the start). */
export const EMPTY_FORM: FormValues = { title_vi: "", title_en: "", description_vi: "", description_en: "", start: "", end: "", deadline: "", place: "", online_url: "", capacity: "", audience: "workers" };

/** A date as a `datetime-local` value: wall time in `timeZone`. */
export function toLocalInput(date: Date, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** A posted form as strings (an unchecked audience is empty; several checked are joined). */
export function formValues(body: unknown): FormValues {
  const data = fieldsOf(body);
  const text = (v: unknown) => (Array.isArray(v) ? v.filter((x) => typeof x === "string").join(",") : typeof v === "string" ? v : "");
  const values: FormValues = { ...EMPTY_FORM };
  for (const field of FORM_FIELDS) values[field] = text(data[field]).trim();
  return values;
}

/** A course as its edit form shows it (a deadline at the start shows empty, as typed). */
export function courseValues(c: CourseRecord, timeZone: string): FormValues {
  return {
    title_vi: c.title.vi,
    title_en: c.title.en ?? "",
    description_vi: c.description.vi === c.title.vi ? "" : c.description.vi,
    description_en: c.description.en ?? "",
    start: toLocalInput(c.startAt, timeZone),
    end: toLocalInput(c.endAt, timeZone),
    deadline: c.deadline.getTime() === c.startAt.getTime() ? "" : toLocalInput(c.deadline, timeZone),
    place: c.place ?? "",
    online_url: c.onlineUrl ?? "",
    capacity: String(c.capacity),
    audience: c.audience.join(","),
  };
}

/** Every field of a new course (blank ones are left to the parser's defaults). */
export function createFields(values: FormValues): CourseFields {
  return { ...values };
}

/**
 * Only the fields staff changed, as the chat's `/editcourse` sends one: a new start alone moves
 * the end with it, and a deadline that was the start follows it.
 */
export function changedFields(values: FormValues, before: FormValues): CourseFields {
  return Object.fromEntries(FORM_FIELDS.filter((f) => values[f] !== before[f]).map((f) => [f, values[f]]));
}

/** The service's problems as one message per field. */
export function fieldMessages(problems: readonly FieldProblem[], params: Record<string, string | number> = {}): Partial<Record<keyof CourseFields, FieldMessage>> {
  const out: Partial<Record<keyof CourseFields, FieldMessage>> = {};
  for (const p of problems) out[p.field] ??= { key: p.reason, params: { field: p.field, ...params } };
  return out;
}
