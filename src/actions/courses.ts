/**
 * Actions of the course flows (`flows/courses.yaml`, `flows/my.yaml`): list open courses,
 * show one, register, list and cancel one's registrations.
 */
import { bindActions, defineActions, type ActionContext, type ActionResult, type ActionChoice, type ActionsOf } from "../engine/actions.js";
import { userKey, type I18nKey, type Locale, type Msg } from "../engine/messages.js";
import { createCoursesRepo, type CourseRecord } from "../db/courses-repo.js";
import { COURSE_AUDIENCES } from "../domain/course.js";
import { enterpriseRefFromAnswer, registrationInputSchema } from "../domain/registration.js";
import { consentActions } from "./consent.js";
import { createRegistrationService, type RegistrationServiceDeps } from "./registration-service.js";
import type { RetentionPolicy } from "../domain/retention.js";


/** The course actions (the course flows and "my registrations"). */
export const REGISTRATION_ACTIONS = defineActions({
  list_open_courses: {},
  show_course: {},
  register_for_course: {},
  list_my_registrations: {},
  show_registration: {},
  cancel_registration: {},
  consent_courses_check: { readOnly: true },
  record_consent_courses: {},
});

/** The registry `createRegistrationActions` returns. */
export type RegistrationActions = ActionsOf<typeof REGISTRATION_ACTIONS>;

/** What the course actions need: the database, the notifier for promotions, H5's hooks. */
export interface RegistrationActionDeps extends RegistrationServiceDeps {
  /** Courses per page in the list (default 5). */
  pageSize?: number;
  /** Retention stated in the consent notice (defaults: DEFAULT_RETENTION). */
  retention?: RetentionPolicy | undefined;
}

/** The key naming a combination of audiences, in COURSE_AUDIENCES order (`courses:audiences.workers_managers`). */
type AudienceKey = Extract<I18nKey, `courses:audiences.${string}`>;
// The combinations are built at run time; test/actions/audience-keys.test.ts checks every one has its key.
const audienceKey = (combination: string): AudienceKey => `courses:audiences.${combination}` as AudienceKey;

/** The dynamic choice id that asks for the next page of courses. */
export const MORE_COURSES_ID = "more";

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The course title in the user's language (Vietnamese when no English title was given). */
export function courseTitle(course: Pick<CourseRecord, "title">, locale: Locale): string {
  return locale === "en" ? (course.title.en ?? course.title.vi) : course.title.vi;
}

/** The description in the user's language: its own, else the Vietnamese one said to be so, else none (a skipped description was stored as the title). */
function descriptionMsgs(course: CourseRecord, locale: Locale): { own: string | null; extra: Msg[] } {
  const vi = course.description.vi !== course.title.vi ? course.description.vi : null;
  if (locale === "vi") return { own: vi, extra: [] };
  if (course.description.en) return { own: course.description.en, extra: [] };
  return { own: null, extra: vi ? [{ key: "courses:details.description_vi", params: { text: vi } }] : [] };
}

function courseDetails(course: CourseRecord & { seatsLeft: number }, locale: Locale): Msg[] {
  const description = descriptionMsgs(course, locale);
  const where: Msg[] = [
    ...(course.place ? [{ key: "courses:details.place", params: { place: course.place } } satisfies Msg] : []),
    ...(course.onlineUrl ? [{ key: "courses:details.online", params: { link: course.onlineUrl } } satisfies Msg] : []),
  ];
  // `count` picks the plural form (English "1 seat", "2 seats"); `seats` stays for the texts that use it.
  const seats: Msg = course.seatsLeft > 0
    ? { key: "courses:details.seats", params: { seats: course.seatsLeft, count: course.seatsLeft, capacity: course.capacity } }
    : { key: "courses:details.full", params: { capacity: course.capacity } };
  // One key per combination (in COURSE_AUDIENCES order), so each language words the list itself.
  const audience = COURSE_AUDIENCES.filter((a) => course.audience.includes(a)).join("_");
  const times = { title: courseTitle(course, locale), start: course.startAt, end: course.endAt, deadline: course.deadline };
  return [
    description.own
      ? { key: "courses:details.text", params: { ...times, description: description.own } }
      : { key: "courses:details.text_plain", params: times },
    ...description.extra,
    ...where,
    ...(audience ? [{ key: audienceKey(audience) }] : []),
    seats,
  ];
}

/**
 * `list_open_courses` → choices (courses open now, soonest start first, page `data.course_page`,
 *   plus a "more" choice when another page exists); outcome `none` when there is no open course.
 * `show_course` → says the details of `data.course_id`, sets `vars.course_title`; `more` when the
 *   "more" choice was picked (next page), `not_found`, or a refusal (`closed`, `cancelled`, `deadline_passed`).
 * `register_for_course` → `confirmed`, `waitlisted`, `already_registered`, `closed`, `cancelled`,
 *   `deadline_passed`, `not_found` or `incomplete`; says the result.
 * `list_my_registrations` → says each registration with its status; choices = the active ones
 *   (to cancel); outcomes `ok`, `none` (never registered), `nothing_to_cancel`.
 * `show_registration` → `vars.registration_title` for `data.registration_id` of this user; `not_found`.
 * `cancel_registration` → `ok`, `already_cancelled`, `not_found`; says the result.
 * `consent_courses_check` / `record_consent_courses` → see `consent.ts` (purpose course_registration).
 */
export function createRegistrationActions(deps: RegistrationActionDeps): RegistrationActions {
  const courses = createCoursesRepo(deps.db);
  const service = deps.service ?? createRegistrationService(deps);
  const pageSize = deps.pageSize ?? 5;
  const consent = consentActions(deps.db, "course_registration", deps.retention);

  async function listOpen(ctx: ActionContext): Promise<ActionResult> {
    let page = typeof ctx.data.course_page === "number" ? ctx.data.course_page : 0;
    let { items, total } = await courses.listOpen(ctx.now, page, pageSize);
    if (total === 0) return { outcome: "none" };
    if (items.length === 0) {
      // Courses closed meanwhile: start again from the first page.
      page = 0;
      ({ items, total } = await courses.listOpen(ctx.now, page, pageSize));
    }
    const choices: ActionChoice[] = items.map((c): ActionChoice => ({
      id: c.id,
      label: c.seatsLeft > 0
        ? { key: "courses:list.item", params: { title: courseTitle(c, ctx.locale), start: c.startAt, seats: c.seatsLeft, count: c.seatsLeft } }
        : { key: "courses:list.item_full", params: { title: courseTitle(c, ctx.locale), start: c.startAt } },
    }));
    if ((page + 1) * pageSize < total) choices.push({ id: MORE_COURSES_ID, label: { key: "courses:list.more" } });
    return {
      choices,
      data: { course_page: page },
      say: [{ key: "courses:list.header", params: { total, page: page + 1, pages: Math.ceil(total / pageSize) } }],
    };
  }

  async function showCourse(ctx: ActionContext): Promise<ActionResult> {
    const id = str(ctx.data.course_id);
    if (id === MORE_COURSES_ID) {
      const page = typeof ctx.data.course_page === "number" ? ctx.data.course_page : 0;
      return { outcome: "more", data: { course_page: page + 1, course_id: null } };
    }
    const course = id ? await courses.findWithSeats(id) : null;
    if (!course) return { outcome: "not_found", say: [{ key: "courses:register.not_found" }] };
    const say = courseDetails(course, ctx.locale);
    const vars = { course_title: courseTitle(course, ctx.locale) };
    if (course.status !== "open") return { outcome: course.status, say: [...say, { key: `courses:register.${course.status}` }], vars };
    if (ctx.now > course.deadline) return { outcome: "deadline_passed", say: [...say, { key: "courses:register.deadline_passed" }], vars };
    return { say, vars };
  }

  async function register(ctx: ActionContext): Promise<ActionResult> {
    const input = registrationInputSchema.safeParse({
      courseId: str(ctx.data.course_id),
      contactId: userKey(ctx.user),
      fullName: str(ctx.data.full_name),
      phone: str(ctx.data.phone),
      enterprise: enterpriseRefFromAnswer(ctx.data.enterprise),
      jobTitle: str(ctx.data.job_title),
      consentAt: str(ctx.data.consent_at),
      formId: str(ctx.data.form_id),
    });
    if (!input.success) return { outcome: "incomplete", say: [{ key: "courses:register.incomplete" }] };
    const result = await service.register(input.data, ctx.now);
    const course = await courses.findById(input.data.courseId);
    const title = course ? courseTitle(course, ctx.locale) : "";
    switch (result.outcome) {
      case "confirmed":
        return { outcome: "confirmed", say: [{ key: "courses:register.confirmed", params: { title, start: course!.startAt } }] };
      case "waitlisted":
        return { outcome: "waitlisted", say: [{ key: "courses:register.waitlisted", params: { title, position: result.rank } }] };
      case "already_registered":
        return { outcome: "already_registered", say: [{ key: "courses:register.already_registered", params: { title } }] };
      default:
        return { outcome: result.outcome, say: [{ key: `courses:register.${result.outcome}`, params: { title } }] };
    }
  }

  async function listMine(ctx: ActionContext): Promise<ActionResult> {
    const regs = await service.repo.listForContact(userKey(ctx.user));
    if (regs.length === 0) return { outcome: "none" };
    const byId = await courses.findMany([...new Set(regs.map((r) => r.courseId))]);
    const say: Msg[] = [{ key: "courses:my.header", params: { total: regs.length } }];
    const choices: ActionChoice[] = [];
    for (const reg of regs) {
      const course = byId.get(reg.courseId);
      const title = course ? courseTitle(course, ctx.locale) : "";
      const start = course?.startAt ?? reg.createdAt;
      if (course?.status === "cancelled" && reg.status !== "cancelled") {
        say.push({ key: "courses:my.item_course_cancelled", params: { title, start } });
        continue;
      }
      if (reg.status === "waitlisted") {
        say.push({ key: "courses:my.item_waitlisted", params: { title, start, position: (await service.repo.rankOf(reg)) ?? reg.waitPosition ?? 1 } });
      } else {
        say.push({ key: `courses:my.item_${reg.status}`, params: { title, start } });
      }
      if (reg.status !== "cancelled") choices.push({ id: reg.id, label: { key: "courses:my.cancel_choice", params: { title, start } } });
    }
    return { outcome: choices.length > 0 ? "ok" : "nothing_to_cancel", say, choices };
  }

  async function showRegistration(ctx: ActionContext): Promise<ActionResult> {
    const id = str(ctx.data.registration_id);
    const reg = id ? await service.repo.byId(id) : null;
    if (!reg || reg.contactId !== userKey(ctx.user) || reg.status === "cancelled") return { outcome: "not_found", say: [{ key: "courses:my.not_found" }] };
    const course = await courses.findById(reg.courseId);
    return { vars: { registration_title: course ? courseTitle(course, ctx.locale) : "" } };
  }

  async function cancel(ctx: ActionContext): Promise<ActionResult> {
    const id = str(ctx.data.registration_id);
    if (!id) return { outcome: "not_found", say: [{ key: "courses:my.not_found" }] };
    const result = await service.cancel(id, ctx.now, userKey(ctx.user));
    if (result.outcome === "cancelled") return { outcome: "ok", say: [{ key: "courses:my.cancelled" }] };
    if (result.outcome === "already_cancelled") return { outcome: "already_cancelled", say: [{ key: "courses:my.already_cancelled" }] };
    return { outcome: "not_found", say: [{ key: "courses:my.not_found" }] };
  }

  return bindActions(REGISTRATION_ACTIONS, {
    list_open_courses: listOpen,
    show_course: showCourse,
    register_for_course: register,
    list_my_registrations: listMine,
    show_registration: showRegistration,
    cancel_registration: cancel,
    consent_courses_check: consent.check,
    record_consent_courses: consent.record,
  });
}
