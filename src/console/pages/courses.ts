/**
 * Courses (#17): every course soonest first; create and edit them with date pickers; close,
 * reopen, cancel and reschedule; each course's registrations, waiting list, sign-up link and QR
 * code. Everything goes through CourseAdmin and CourseLinks, the services behind the chat's
 * `/newcourse`, `/editcourse`, `/closecourse`, `/courselink` and the CLI's `course` commands, so
 * the rules and the notices people get are the same.
 */
import { fieldsOf } from "../../shared/guards.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { CourseChangeResult } from "../../admin/course-admin.js";
import { nationalPhone } from "../../admin/export/columns.js";
import type { RegistrationRecord } from "../../db/registrations-repo.js";
import { COURSE_AUDIENCES } from "../../domain/course.js";
import type { PageFrame } from "../context.js";
import { defineConsolePage } from "../define-page.js";
import { changedFields, courseValues, createFields, EMPTY_FORM, fieldMessages, formValues, toLocalInput, type FieldMessage, type FormValues } from "./course-form.js";

type IdParams = { Params: { id: string } };
const LIST: PageFrame = { nav: "courses", title: "console-courses:list.title" };
/** What `?done=` may say after a change (anything else is ignored). */
const DONE: Readonly<Record<string, string>> = {
  created: "console-courses:done.created",
  updated: "staff:course.updated",
  moved: "staff:course.moved",
  raised: "staff:course.raised",
  closed: "staff:course.closed",
  reopened: "staff:course.reopened",
  cancelled: "staff:course.cancelled",
};

/** The courses pages. */
export const coursesPage = defineConsolePage({
  id: "courses",
  path: "/console/courses",
  nav: "console-courses:nav",
  routes(scope, ctx) {
    const admin = ctx.services.staff.courses;
    const tz = ctx.timeZone;

    const notFound = (request: FastifyRequest, reply: FastifyReply) =>
      ctx.page(request, reply, "message", { nav: "courses", title: "console:errors.title" }, { message: "console-courses:not_found" }, { status: 404 });

    const showForm = (request: FastifyRequest, reply: FastifyReply, data: { id?: string; values: FormValues; errors?: Partial<Record<string, FieldMessage>>; confirmLower?: boolean }, status = 200) =>
      ctx.page(request, reply, "courses/form", { nav: "courses", title: data.id ? "console-courses:form.edit_title" : "console-courses:form.new_title" }, { errors: {}, confirmLower: false, audiences: COURSE_AUDIENCES, ...data }, { status });

    async function showCourse(request: FastifyRequest<IdParams>, reply: FastifyReply, extra: { reschedule?: { start: string; end: string }; errors?: Partial<Record<string, FieldMessage>>; error?: string } = {}, status = 200) {
      const roster = await admin.roster(request.params.id);
      if (!roster) return notFound(request, reply);
      const link = await ctx.services.staff.links.linkFor(roster.course.id);
      const done = fieldsOf(request.query).done;
      return ctx.page(request, reply, "courses/course", { nav: "courses", title: "console-courses:list.title" }, {
        ...roster,
        link,
        // As the registrations export shows them to staff: the national phone number, the enterprise's name.
        phone: (p: string | null) => nationalPhone(p) ?? "",
        enterprise: (r: RegistrationRecord) => (r.enterprise?.kind === "name" ? r.enterprise.name : r.enterprise?.kind === "tax_code" ? `${roster.enterpriseNames.get(r.enterprise.taxCode) ?? ""} (${r.enterprise.taxCode})`.trim() : ""),
        done: typeof done === "string" ? DONE[done] : undefined,
        reschedule: extra.reschedule ?? { start: toLocalInput(roster.course.startAt, tz), end: "" },
        errors: extra.errors ?? {},
        error: extra.error,
      }, { status });
    }

    /** After a change: the course's page with what happened, or why it did not. */
    async function afterChange(request: FastifyRequest<IdParams>, reply: FastifyReply, result: CourseChangeResult, done: string) {
      if (result.ok) return reply.redirect(`/console/courses/${encodeURIComponent(request.params.id)}?done=${done}`, 303);
      if (result.reason === "staff:course.errors.not_found") return notFound(request, reply);
      return showCourse(request, reply, { error: result.reason }, 409);
    }

    scope.get("/console/courses", async (request, reply) => {
      const courses = await admin.listSoonestFirst(ctx.now());
      const at = ctx.now().getTime();
      return ctx.page(request, reply, "courses/list", LIST, { courses, coming: courses.filter((c) => c.endAt.getTime() > at), over: courses.filter((c) => c.endAt.getTime() <= at) });
    });

    scope.get("/console/courses/new", async (request, reply) => showForm(request, reply, { values: EMPTY_FORM }));

    scope.post("/console/courses", { config: { audit: "course.create" } }, async (request, reply) => {
      const values = formValues(request.body);
      const result = await admin.create(createFields(values), { now: ctx.now() });
      if (!result.ok) return showForm(request, reply, { values, errors: fieldMessages(result.problems) }, 422);
      return reply.redirect(`/console/courses/${encodeURIComponent(result.id)}?done=created`, 303);
    });

    scope.get<IdParams>("/console/courses/:id", async (request, reply) => showCourse(request, reply));

    scope.get<IdParams>("/console/courses/:id/edit", async (request, reply) => {
      const course = await ctx.services.repos.courses.findById(request.params.id);
      if (!course) return notFound(request, reply);
      return showForm(request, reply, { id: course.id, values: courseValues(course, tz) });
    });

    scope.post<IdParams>("/console/courses/:id", { config: { audit: "course.edit" } }, async (request, reply) => {
      const course = await ctx.services.repos.courses.findById(request.params.id);
      if (!course) return notFound(request, reply);
      const values = formValues(request.body);
      const confirmLower = fieldsOf(request.body).confirm_lower === "yes";
      const result = await admin.edit(course.id, changedFields(values, courseValues(course, tz)), { confirmLower, now: ctx.now() });
      if (!result.ok) {
        const errors = result.confirmLower
          ? { capacity: { key: result.reason, params: { ...result.confirmLower } } }
          : fieldMessages(result.problems ?? [{ field: "title_vi", reason: result.reason }]);
        return showForm(request, reply, { id: course.id, values, errors, confirmLower: Boolean(result.confirmLower) }, 422);
      }
      return reply.redirect(`/console/courses/${encodeURIComponent(course.id)}?done=${result.moved ? "moved" : result.raised ? "raised" : "updated"}`, 303);
    });

    scope.post<IdParams>("/console/courses/:id/reschedule", { config: { audit: "course.reschedule" } }, async (request, reply) => {
      const body = fieldsOf(request.body);
      const start = typeof body.start === "string" ? body.start.trim() : "";
      const end = typeof body.end === "string" ? body.end.trim() : "";
      // As `/editcourse` → Reschedule and `course reschedule`: a new start, the end following unless given.
      const result = await admin.edit(request.params.id, { start, ...(end ? { end } : {}) }, { now: ctx.now() });
      if (result.ok) return reply.redirect(`/console/courses/${encodeURIComponent(request.params.id)}?done=${result.moved ? "moved" : "updated"}`, 303);
      if (result.reason === "staff:course.errors.not_found") return notFound(request, reply);
      return showCourse(request, reply, { reschedule: { start, end }, errors: fieldMessages(result.problems ?? [{ field: "start", reason: result.reason }]) }, 422);
    });

    scope.post<IdParams>("/console/courses/:id/close", { config: { audit: "course.close" } }, async (request, reply) => afterChange(request, reply, await admin.close(request.params.id), "closed"));
    scope.post<IdParams>("/console/courses/:id/reopen", { config: { audit: "course.reopen" } }, async (request, reply) => afterChange(request, reply, await admin.reopen(request.params.id), "reopened"));
    scope.post<IdParams>("/console/courses/:id/cancel", { config: { audit: "course.cancel" } }, async (request, reply) => afterChange(request, reply, await admin.cancel(request.params.id), "cancelled"));

    scope.get<IdParams>("/console/courses/:id/qr.png", async (request, reply) => {
      const link = await ctx.services.staff.links.linkFor(request.params.id);
      if (!link) return notFound(request, reply);
      const png = await ctx.services.staff.links.qrPng(link);
      return reply.type(png.mimeType).header("content-disposition", `inline; filename="${png.filename}"`).send(png.content);
    });
  },
});



