import type { CourseRecord } from "../../db/courses-repo.js";
import type { RegistrationRecord } from "../../db/registrations-repo.js";
import { buildSheet, localDateTime, nationalPhone, type ColumnDef, type Label } from "./columns.js";
import type { Sheet } from "./sheet.js";

/** A registration with what the export resolves for it. */
interface Row {
  no: number;
  reg: RegistrationRecord;
  enterpriseName: string | null;
  waitRank: number | null;
}

/** What the registrations export needs besides the records. */
export interface RegistrationsSheetInput {
  course: CourseRecord;
  registrations: readonly RegistrationRecord[];
  /** Registered enterprises' names by tax code (for workers who gave a tax code). */
  enterpriseNames: ReadonlyMap<string, string>;
  label: Label;
  locale: "vi" | "en";
  timeZone: string;
}

/** A selection of registrations over one or more courses (the console's filtered list). */
export interface RegistrationSelectionInput {
  /** The worksheet name. */
  name: string;
  /** The courses the registrations belong to; with more than one, a course column is added. */
  courses: ReadonlyMap<string, CourseRecord>;
  registrations: readonly RegistrationRecord[];
  /** Everyone waiting for these courses (a place in line counts all who wait, shown or not); default: `registrations`. */
  waiting?: readonly RegistrationRecord[];
  enterpriseNames: ReadonlyMap<string, string>;
  label: Label;
  locale: "vi" | "en";
  timeZone: string;
}

const titleOf = (course: CourseRecord | undefined, locale: "vi" | "en") => (course ? (locale === "en" ? (course.title.en ?? course.title.vi) : course.title.vi) : null);

function columns(tz: string, label: Label, course?: (r: Row) => string | null): ColumnDef<Row>[] {
  return [
    { id: "no", kind: "number", width: 6, value: (r) => r.no },
    ...(course ? [{ id: "course", width: 30, value: course }] : []),
    { id: "full_name", width: 28, value: (r) => r.reg.fullName },
    { id: "phone", width: 14, value: (r) => nationalPhone(r.reg.phone) },
    { id: "enterprise_name", width: 34, value: (r) => r.enterpriseName },
    { id: "tax_code", width: 16, value: (r) => (r.reg.enterprise?.kind === "tax_code" ? r.reg.enterprise.taxCode : null) },
    { id: "job_title", width: 20, value: (r) => r.reg.jobTitle },
    { id: "status", width: 16, value: (r) => label({ key: `staff:export.status.${r.reg.status}` }) },
    { id: "seat_no", kind: "number", width: 8, value: (r) => r.reg.seatNo },
    { id: "wait_position", kind: "number", width: 10, value: (r) => r.waitRank },
    { id: "registered_at", width: 17, value: (r) => localDateTime(r.reg.createdAt, tz) },
    { id: "cancelled_at", width: 17, value: (r) => localDateTime(r.reg.cancelledAt, tz) },
  ];
}

/**
 * A course's registrations as staff read them: labels, local times, the enterprise's name
 * (also when the worker gave a registered tax code) and the place in the waiting line now.
 */
export function registrationsSheet(input: RegistrationsSheetInput): Sheet {
  return registrationSelectionSheet({ ...input, name: titleOf(input.course, input.locale)!, courses: new Map([[input.course.id, input.course]]) });
}

/** Registrations of one or more courses, with the same columns (and a course column when there are several). */
export function registrationSelectionSheet(input: RegistrationSelectionInput): Sheet {
  // The place in line is per course, counted among everyone who waits there.
  const rank = new Map<string, number>();
  const lines = new Map<string, RegistrationRecord[]>();
  for (const r of input.waiting ?? input.registrations) {
    if (r.status !== "waitlisted" || r.waitPosition === null) continue;
    lines.set(r.courseId, [...(lines.get(r.courseId) ?? []), r]);
  }
  for (const line of lines.values()) line.sort((a, b) => a.waitPosition! - b.waitPosition!).forEach((r, i) => rank.set(r.id, i + 1));
  const rows: Row[] = input.registrations.map((reg, i) => ({
    no: i + 1,
    reg,
    enterpriseName: reg.enterprise?.kind === "name" ? reg.enterprise.name : reg.enterprise?.kind === "tax_code" ? (input.enterpriseNames.get(reg.enterprise.taxCode) ?? null) : null,
    waitRank: rank.get(reg.id) ?? null,
  }));
  const course = input.courses.size > 1 ? (r: Row) => titleOf(input.courses.get(r.reg.courseId), input.locale) : undefined;
  return buildSheet(input.name, columns(input.timeZone, input.label, course), rows, input.label);
}
