import { parse } from "csv-parse/sync";
import type { CoursesRepo } from "../db/courses-repo.js";
import type { RegistrationsRepo } from "../db/registrations-repo.js";
import type { CoursePatch, CourseStats, StaffCoursesRepo } from "../db/staff-courses-repo.js";
import { futureDateTime, isLink } from "../domain/course-answers.js";
import { courseInputSchema, COURSE_AUDIENCES, keepDuration, type CourseInput } from "../domain/course.js";
import type { I18nKey, Locale, Msg, OutgoingDocument } from "../engine/messages.js";
import type { CourseNotices } from "../jobs/course-notices.js";
import type { CourseRecord } from "../db/courses-repo.js";
import type { RegistrationRecord } from "../db/registrations-repo.js";
import { enterprisesSheet } from "./export/enterprises-sheet.js";
import { writeSheet, type ExportFormat } from "./export/index.js";
import { registrationsSheet } from "./export/registrations-sheet.js";
import { detectDelimiter, type CsvDelimiter } from "./csv-delimiter.js";
import { parseWhen } from "./when.js";

/** A course as staff type it (chat answers, CLI flags, CSV columns): all strings. */
export interface CourseFields {
  title_vi?: string;
  title_en?: string;
  description_vi?: string;
  description_en?: string;
  start?: string;
  end?: string;
  place?: string;
  online_url?: string;
  capacity?: string;
  deadline?: string;
  audience?: string;
}

/** A problem with one field: `field` names it, `reason` is an i18n key. */
export type FieldProblem = { field: keyof CourseFields; reason: I18nKey };

/** The outcome of parsing course fields. */
export type CourseParse = { ok: true; input: CourseInput } | { ok: false; problems: FieldProblem[] };

const blank = (v: string | undefined) => (v === undefined || v.trim() === "" || v.trim() === "-" ? undefined : v.trim());

/** Turns typed fields into a validated course, with every problem at once. */
export function parseCourseFields(fields: CourseFields, timeZone: string): CourseParse {
  let f = fields;
  const problems: FieldProblem[] = [];
  const when = (field: "start" | "end" | "deadline") => {
    const raw = blank(f[field]);
    const d = raw ? parseWhen(raw, timeZone) : null;
    if (!d) problems.push({ field, reason: "staff:course.errors.date" });
    return d;
  };
  const startAt = when("start");
  const endAt = when("end");
  const deadline = blank(f.deadline) ? when("deadline") : startAt;
  const capacity = Number(blank(f.capacity));
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000) problems.push({ field: "capacity", reason: "staff:course.errors.capacity" });
  const audience = (blank(f.audience) ?? "workers").split(/[,;\s]+/).filter(Boolean);
  if (!audience.every((a) => COURSE_AUDIENCES.some((known) => known === a))) problems.push({ field: "audience", reason: "staff:course.errors.audience" });
  if (!blank(f.title_vi)) problems.push({ field: "title_vi", reason: "staff:course.errors.title" });
  // An online link typed as the place is the course's link (shown as "online", not as an address).
  if (blank(f.place) && isLink(blank(f.place)!) && !blank(f.online_url)) f = { ...f, online_url: blank(f.place)!, place: undefined };
  if (!blank(f.place) && !blank(f.online_url)) problems.push({ field: "place", reason: "staff:course.errors.place" });
  if (problems.length > 0) return { ok: false, problems };
  const candidate = {
    title: { vi: blank(f.title_vi)!, ...(blank(f.title_en) ? { en: blank(f.title_en) } : {}) },
    description: { vi: blank(f.description_vi) ?? blank(f.title_vi)!, ...(blank(f.description_en) ? { en: blank(f.description_en) } : {}) },
    startAt,
    endAt,
    deadline,
    ...(blank(f.place) ? { place: blank(f.place) } : {}),
    ...(blank(f.online_url) ? { onlineUrl: blank(f.online_url) } : {}),
    capacity,
    audience,
  };
  const parsed = courseInputSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, input: parsed.data };
  for (const issue of parsed.error.issues) {
    const path = String(issue.path[0] ?? "");
    const field: keyof CourseFields = path === "endAt" ? "end" : path === "deadline" ? "deadline" : path === "onlineUrl" ? "online_url" : path === "place" ? "place" : "title_vi";
    const reason = path === "endAt" ? "staff:course.errors.end_before_start" : path === "deadline" ? "staff:course.errors.deadline_after_start" : path === "onlineUrl" ? "staff:course.errors.url" : "staff:course.errors.invalid";
    problems.push({ field, reason });
  }
  return { ok: false, problems };
}

const DATE_FIELDS = ["start", "end", "deadline"] as const;

/**
 * The chat's rule for a date typed now (a new start, end or deadline must be in the future), for
 * the date fields in `fields` that were typed; a field that cannot be read is left to the parser.
 */
export function pastDateProblems(fields: CourseFields, timeZone: string, now: Date): FieldProblem[] {
  return DATE_FIELDS.flatMap((field): FieldProblem[] => {
    const raw = blank(fields[field]);
    const when = raw ? parseWhen(raw, timeZone) : null;
    if (!raw || !when) return [];
    return futureDateTime(when.toISOString(), timeZone, now).ok ? [] : [{ field, reason: "staff:course.errors.past" }];
  });
}

/** One problem per field: the first found (a date that cannot be read says so before it is called past). */
const firstPerField = (problems: FieldProblem[]): FieldProblem[] => problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);

/** Courses not yet over first, the soonest first; then those over, the latest first (the console's list). */
export function soonestFirst<T extends { startAt: Date; endAt: Date }>(courses: readonly T[], now: Date): T[] {
  const at = now.getTime();
  const coming = courses.filter((c) => c.endAt.getTime() > at).sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  const over = courses.filter((c) => c.endAt.getTime() <= at).sort((a, b) => b.startAt.getTime() - a.startAt.getTime());
  return [...coming, ...over];
}

/** A course with the people on it: those holding a seat in the order they registered, the waiting in line order. */
export interface CourseRoster {
  course: CourseRecord;
  confirmed: RegistrationRecord[];
  waitlisted: RegistrationRecord[];
  /** Registered enterprises' names by tax code (for workers who gave one). */
  enterpriseNames: ReadonlyMap<string, string>;
}

/** What course administration needs. */
export interface CourseAdminDeps {
  courses: CoursesRepo;
  staffCourses: StaffCoursesRepo;
  registrations: RegistrationsRepo;
  notices: CourseNotices;
  timeZone: string;
  /** Renders labels and headers of exports in the staff member's language. */
  render: (msg: Msg, locale: Locale) => string;
}

/** How an export is asked for: the staff member's language and the file format. */
export interface ExportOptions {
  locale: Locale;
  format: ExportFormat;
}

/** The outcome of a change to a course. */
export type CourseChangeResult =
  | { ok: true; moved?: boolean; raised?: boolean }
  | {
      ok: false;
      reason: I18nKey;
      /** Every problem with the fields, when the refusal is about them. */
      problems?: FieldProblem[];
      /** Set when lowering the seats below those held needs the staff member's confirmation. */
      confirmLower?: { held: number; capacity: number };
    };

/** Course administration shared by the staff chat flows and `npm run admin`. */
export function createCourseAdmin(deps: CourseAdminDeps) {
  return {
    /** Creates a course; with `now`, dates in the past are refused too (the chat's rule for typed dates). */
    async create(fields: CourseFields, options: { now?: Date } = {}): Promise<{ ok: true; id: string } | { ok: false; problems: FieldProblem[] }> {
      const parsed = parseCourseFields(fields, deps.timeZone);
      const past = options.now ? pastDateProblems(fields, deps.timeZone, options.now) : [];
      if (!parsed.ok || past.length > 0) return { ok: false, problems: firstPerField([...(parsed.ok ? [] : parsed.problems), ...past]) };
      return { ok: true, id: await deps.courses.create(parsed.input) };
    },
    list: (limit?: number): Promise<CourseStats[]> => deps.staffCourses.listWithStats(limit),
    /** Every course (up to `limit`), those not yet over first and soonest first, then past ones. */
    listSoonestFirst: async (now: Date, limit = 1000): Promise<CourseStats[]> => soonestFirst(await deps.staffCourses.listWithStats(limit), now),
    /** A course with its confirmed registrations (in the order they came) and its waiting list (in line order); null when it does not exist. */
    async roster(courseId: string): Promise<CourseRoster | null> {
      const course = await deps.courses.findById(courseId);
      if (!course) return null;
      const all = await deps.registrations.listForCourse(courseId);
      // In the order they registered (seat numbers are claim slots, not a ranking).
      const confirmed = all.filter((r) => r.status === "confirmed").sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      const waitlisted = all.filter((r) => r.status === "waitlisted").sort((a, b) => (a.waitPosition ?? Infinity) - (b.waitPosition ?? Infinity));
      const taxCodes = [...confirmed, ...waitlisted].flatMap((r) => (r.enterprise?.kind === "tax_code" ? [r.enterprise.taxCode] : []));
      return { course, confirmed, waitlisted, enterpriseNames: await deps.staffCourses.enterpriseNames(taxCodes) };
    },
    /**
     * Changes fields. A new start moves the end with it (same duration) unless a new end is given;
     * a new time sends one notice (new start and end) and moves the reminders. Lowering the seats
     * below those already held needs `confirmLower` (nobody loses a seat: no new seat is given until
     * fewer hold one); raising them promotes the waiting at once (by the running bot's job).
     * With `now`, a date changed to one in the past is refused (unchanged dates of a past course are kept).
     * A refusal names every problem by field (`problems`) besides the first one's reason.
     */
    async edit(id: string, fields: CourseFields, options: { confirmLower?: boolean; now?: Date } = {}): Promise<CourseChangeResult> {
      const current = await deps.courses.findById(id);
      if (!current) return { ok: false, reason: "staff:course.errors.not_found" };
      let end = fields.end;
      if (fields.start !== undefined && end === undefined) {
        const start = parseWhen(fields.start, deps.timeZone);
        if (start) end = keepDuration(current.startAt, current.endAt, start).toISOString();
      }
      const merged: CourseFields = {
        title_vi: fields.title_vi ?? current.title.vi,
        title_en: fields.title_en ?? current.title.en ?? undefined,
        description_vi: fields.description_vi ?? current.description.vi,
        description_en: fields.description_en ?? current.description.en ?? undefined,
        start: fields.start ?? current.startAt.toISOString(),
        end: end ?? current.endAt.toISOString(),
        place: fields.place ?? (fields.online_url ? undefined : (current.place ?? undefined)),
        online_url: fields.online_url ?? (fields.place ? undefined : (current.onlineUrl ?? undefined)),
        capacity: fields.capacity ?? String(current.capacity),
        // A deadline left as it was follows a moved start when it was the start itself.
        deadline: fields.deadline ?? (current.deadline.getTime() === current.startAt.getTime() && fields.start ? undefined : current.deadline.toISOString()),
        audience: fields.audience ?? current.audience.join(","),
      };
      const parsed = parseCourseFields(merged, deps.timeZone);
      const stored: Record<(typeof DATE_FIELDS)[number], Date> = { start: current.startAt, end: current.endAt, deadline: current.deadline };
      const changedDates = Object.fromEntries(DATE_FIELDS.flatMap((f) => (fields[f] !== undefined && parseWhen(fields[f], deps.timeZone)?.getTime() !== stored[f].getTime() ? [[f, fields[f]]] : [])));
      const past = options.now ? pastDateProblems(changedDates, deps.timeZone, options.now) : [];
      const problems = firstPerField([...(parsed.ok ? [] : parsed.problems), ...past]);
      if (!parsed.ok || problems.length > 0) return { ok: false, reason: problems[0]!.reason, problems };
      const i = parsed.input;
      if (i.capacity < current.capacity && !options.confirmLower) {
        const held = await deps.staffCourses.confirmedCount(id);
        if (i.capacity < held) return { ok: false, reason: "staff:course.errors.below_confirmed", confirmLower: { held, capacity: i.capacity } };
      }
      const patch: CoursePatch = {
        title: { vi: i.title.vi, en: i.title.en ?? null },
        // The description is editable in the chat and the console: it is saved too.
        description: { vi: i.description.vi, en: i.description.en ?? null },
        audience: i.audience,
        startAt: i.startAt,
        endAt: i.endAt,
        place: i.place ?? null,
        onlineUrl: i.onlineUrl ?? null,
        capacity: i.capacity,
        deadline: i.deadline,
      };
      await deps.staffCourses.update(id, patch);
      const moved = i.startAt.getTime() !== current.startAt.getTime() || i.endAt.getTime() !== current.endAt.getTime();
      if (moved && current.status !== "cancelled") await deps.notices.announce(id, "moved");
      const raised = i.capacity > current.capacity && current.status !== "cancelled";
      if (raised) await deps.notices.announce(id, "capacity");
      return { ok: true, moved, raised };
    },
    /** Opens registration again for a closed course (a cancelled one stays cancelled). */
    async reopen(id: string): Promise<CourseChangeResult> {
      const current = await deps.courses.findById(id);
      if (!current) return { ok: false, reason: "staff:course.errors.not_found" };
      if (current.status === "cancelled") return { ok: false, reason: "staff:course.errors.already_cancelled" };
      await deps.staffCourses.setStatus(id, "open");
      // Seats freed while it was closed go to the waiting now.
      await deps.notices.announce(id, "capacity");
      return { ok: true };
    },
    /** Stops new registrations; existing ones stay. */
    async close(id: string): Promise<CourseChangeResult> {
      const current = await deps.courses.findById(id);
      if (!current) return { ok: false, reason: "staff:course.errors.not_found" };
      if (current.status === "cancelled") return { ok: false, reason: "staff:course.errors.already_cancelled" };
      await deps.staffCourses.setStatus(id, "closed");
      return { ok: true };
    },
    /** Cancels the course: registrants are told and their reminders removed. */
    async cancel(id: string): Promise<CourseChangeResult> {
      const current = await deps.courses.findById(id);
      if (!current) return { ok: false, reason: "staff:course.errors.not_found" };
      if (current.status === "cancelled") return { ok: false, reason: "staff:course.errors.already_cancelled" };
      await deps.staffCourses.setStatus(id, "cancelled");
      await deps.notices.announce(id, "cancelled");
      return { ok: true };
    },
    /** Creates every course of a CSV file (header: the `CourseFields` names); nothing is created if any row is wrong. */
    async importCsv(text: string): Promise<({ ok: true; ids: string[] } | { ok: false; errors: Array<{ line: number; problems: FieldProblem[] }> }) & { delimiter?: CsvDelimiter }> {
      const body = text.replace(/^\uFEFF/, "");
      const delimiter = detectDelimiter(body);
      // With `columns`, each row maps its header's names to the cells (unknown columns are ignored).
      const rows: CourseFields[] = parse<Record<string, string>>(body, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true, delimiter });
      const parsed = rows.map((r) => parseCourseFields(r, deps.timeZone));
      const errors = parsed.flatMap((p, i) => (p.ok ? [] : [{ line: i + 2, problems: p.problems }]));
      if (rows.length === 0) return { ok: false, delimiter, errors: [{ line: 1, problems: [{ field: "title_vi", reason: "staff:course.errors.empty_file" }] }] };
      if (errors.length > 0) return { ok: false, delimiter, errors };
      const ids: string[] = [];
      for (const p of parsed) if (p.ok) ids.push(await deps.courses.create(p.input));
      return { ok: true, ids, delimiter };
    },
    /** A course's registrations as a spreadsheet (XLSX or CSV); null when the course does not exist. */
    async exportRegistrations(courseId: string, options: ExportOptions): Promise<OutgoingDocument | null> {
      const course = await deps.courses.findById(courseId);
      if (!course) return null;
      const registrations = await deps.registrations.listForCourse(courseId);
      const taxCodes = registrations.flatMap((r) => (r.enterprise?.kind === "tax_code" ? [r.enterprise.taxCode] : []));
      const enterpriseNames = await deps.staffCourses.enterpriseNames(taxCodes);
      const label = (m: Msg) => deps.render(m, options.locale);
      const sheet = registrationsSheet({ course, registrations, enterpriseNames, label, locale: options.locale, timeZone: deps.timeZone });
      return writeSheet(sheet, `${label({ key: "staff:export.file.registrations" })}-${courseId}`, options.format);
    },
    /** Every enterprise with its contact persons as a spreadsheet. */
    async exportEnterprises(options: ExportOptions): Promise<OutgoingDocument> {
      const label = (m: Msg) => deps.render(m, options.locale);
      const sheet = enterprisesSheet(await deps.staffCourses.enterprises(), label, deps.timeZone);
      return writeSheet(sheet, label({ key: "staff:export.file.enterprises" }), options.format);
    },
  };
}

/** Course administration. */
export type CourseAdmin = ReturnType<typeof createCourseAdmin>;
