/**
 * What staff look through: registrations and enterprises, searched and filtered, one page at a
 * time, and the same selection exported with the exporter the chat's `/export` and the CLI's
 * `export` use (same columns, labels, local times, formula-safe cells).
 */
import type { CoursesRepo } from "../db/courses-repo.js";
import type { StaffCoursesRepo } from "../db/staff-courses-repo.js";
import type { EnterpriseFilter, RegistrationFilter, StaffSearch, Window } from "../db/staff-search.js";
import type { CourseRecord } from "../db/courses-repo.js";
import type { EnterpriseRecord } from "../db/enterprises-repo.js";
import type { RegistrationRecord } from "../db/registrations-repo.js";
import type { Locale, Msg, OutgoingDocument } from "../engine/messages.js";
import { enterprisesSheet } from "./export/enterprises-sheet.js";
import { writeSheet } from "./export/index.js";
import { registrationSelectionSheet } from "./export/registrations-sheet.js";
import type { ExportOptions } from "./course-admin.js";

export type { EnterpriseFilter, RegistrationFilter, Window } from "../db/staff-search.js";

/** What the lists need. */
export interface StaffListsDeps {
  search: StaffSearch;
  courses: CoursesRepo;
  staffCourses: StaffCoursesRepo;
  timeZone: string;
  render: (msg: Msg, locale: Locale) => string;
}

/** A registration as listed: with its course and the enterprise's name resolved. */
export interface ListedRegistration {
  registration: RegistrationRecord;
  course: CourseRecord | null;
  enterpriseName: string | null;
}

const taxCodesOf = (rows: readonly RegistrationRecord[]) => rows.flatMap((r) => (r.enterprise?.kind === "tax_code" ? [r.enterprise.taxCode] : []));

/** The staff lists. */
export function createStaffLists(deps: StaffListsDeps) {
  return {
    /** One page of registrations matching `filter`, newest first, and how many match. */
    async registrations(filter: RegistrationFilter, window: Window): Promise<{ rows: ListedRegistration[]; total: number }> {
      const { rows, total } = await deps.search.registrations(filter, window);
      const [courses, names] = await Promise.all([deps.courses.findMany([...new Set(rows.map((r) => r.courseId))]), deps.staffCourses.enterpriseNames(taxCodesOf(rows))]);
      return {
        total,
        rows: rows.map((registration) => ({
          registration,
          course: courses.get(registration.courseId) ?? null,
          enterpriseName: registration.enterprise?.kind === "name" ? registration.enterprise.name : registration.enterprise?.kind === "tax_code" ? (names.get(registration.enterprise.taxCode) ?? null) : null,
        })),
      };
    },
    /** Every registration matching `filter` as a spreadsheet (a course column when several courses are in it). */
    async exportRegistrations(filter: RegistrationFilter, options: ExportOptions): Promise<OutgoingDocument> {
      const registrations = await deps.search.allRegistrations(filter);
      const courseIds = [...new Set(registrations.map((r) => r.courseId))];
      const [courses, enterpriseNames, waiting] = await Promise.all([deps.courses.findMany(courseIds), deps.staffCourses.enterpriseNames(taxCodesOf(registrations)), deps.search.waiting(courseIds)]);
      const label = (m: Msg) => deps.render(m, options.locale);
      const name = label({ key: "staff:export.file.registrations" });
      // One course: the worksheet is named after it, as the chat's export of that course is.
      const only = courses.size === 1 ? [...courses.values()][0]! : null;
      const sheetName = only ? (options.locale === "en" ? (only.title.en ?? only.title.vi) : only.title.vi) : name;
      const sheet = registrationSelectionSheet({ name: sheetName, courses, registrations, waiting, enterpriseNames, label, locale: options.locale, timeZone: deps.timeZone });
      return writeSheet(sheet, filter.courseId ? `${name}-${filter.courseId}` : name, options.format);
    },
    /** One page of enterprises matching `filter`, newest first, and how many match. */
    enterprises: (filter: EnterpriseFilter, window: Window): Promise<{ rows: EnterpriseRecord[]; total: number }> => deps.search.enterprises(filter, window),
    /** Every enterprise matching `filter` as a spreadsheet, one line per contact person. */
    async exportEnterprises(filter: EnterpriseFilter, options: ExportOptions): Promise<OutgoingDocument> {
      const label = (m: Msg) => deps.render(m, options.locale);
      const sheet = enterprisesSheet(await deps.search.allEnterprises(filter), label, deps.timeZone);
      return writeSheet(sheet, label({ key: "staff:export.file.enterprises" }), options.format);
    },
  };
}

/** The staff lists. */
export type StaffLists = ReturnType<typeof createStaffLists>;
