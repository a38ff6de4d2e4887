import { z } from "zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import { nationalPhone } from "../../admin/export/columns.js";
import { EXPORT_FORMATS } from "../../admin/export/index.js";
import type { ConsoleContext } from "../context.js";
import { defineConsolePage } from "../define-page.js";
import { sendDownload } from "../download.js";
import { PAGE_SIZE, choice, fieldProblems, filterQuery, listQueryBase, paging, plainQuery } from "../list-query.js";

/** The statuses staff filter by (a half-done registration is never shown). */
const STATUSES = ["confirmed", "waitlisted", "cancelled"] as const;
/** The status a filter names, when it is one. */
const statusOf = (value: string | undefined) => STATUSES.find((s) => s === value);
const FRAME = { nav: "registrations", title: "console-registrations:title" };

/** Reads the list's query; the course must be one that exists. */
async function readFilters(ctx: ConsoleContext, request: FastifyRequest) {
  const courses = await ctx.services.staff.courses.list(200);
  const schema = z.object({
    ...listQueryBase,
    course: choice(courses.map((c) => c.id), "console-registrations:errors.course"),
    status: choice(STATUSES, "console-registrations:errors.status"),
  });
  const raw = plainQuery(request.query);
  const parsed = schema.safeParse(raw);
  return { courses, raw, parsed };
}

/** Registrations across courses: search, filter, page, export the same selection. */
export const registrationsPage = defineConsolePage({
  id: "registrations",
  path: "/console/registrations",
  nav: "console-registrations:nav",
  routes(scope, ctx) {
    const show = async (request: FastifyRequest, reply: FastifyReply) => {
      const { courses, raw, parsed } = await readFilters(ctx, request);
      const base = { courses, statuses: STATUSES, values: { q: raw.q ?? "", course: raw.course ?? "", status: raw.status ?? "" } };
      if (!parsed.success) return ctx.page(request, reply, "registrations/list", FRAME, { ...base, problems: fieldProblems(parsed.error), rows: [], pager: null, exportQuery: null }, { status: 422 });
      const f = parsed.data;
      const filters = { q: f.q, course: f.course, status: f.status };
      const { rows, total } = await ctx.services.staff.lists.registrations(
        { text: f.q, courseId: f.course || undefined, status: statusOf(f.status) },
        { skip: (f.page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      );
      const title = (c: { title: { vi: string; en?: string | null } } | null) => (c ? (ctx.user(request).locale === "en" ? (c.title.en ?? c.title.vi) : c.title.vi) : "");
      const shown = rows.map((r) => ({ ...r, phone: nationalPhone(r.registration.phone) ?? "", courseTitle: title(r.course) }));
      return ctx.page(request, reply, "registrations/list", FRAME, { ...base, problems: {}, rows: shown, pager: paging(total, f.page, filters), exportQuery: filterQuery(filters), title }, { fragment: true });
    };
    scope.get("/console/registrations", show);

    // The same selection as the list, as a spreadsheet: audited (who exported what).
    scope.get("/console/registrations/export", { config: { audit: "export.registrations" } }, async (request, reply) => {
      const { raw, parsed } = await readFilters(ctx, request);
      const format = z.enum(EXPORT_FORMATS).safeParse(raw.format ?? "xlsx");
      if (!parsed.success) return show(request, reply);
      if (!format.success) return ctx.page(request, reply, "message", FRAME, { message: "console-lists:errors.format" }, { status: 422 });
      const f = parsed.data;
      const doc = await ctx.services.staff.lists.exportRegistrations(
        { text: f.q, courseId: f.course || undefined, status: statusOf(f.status) },
        { locale: ctx.user(request).locale, format: format.data },
      );
      return sendDownload(reply, doc);
    });
  },
});
