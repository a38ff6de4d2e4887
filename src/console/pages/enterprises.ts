import { z } from "zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import { nationalPhone } from "../../admin/export/columns.js";
import { EXPORT_FORMATS } from "../../admin/export/index.js";
import type { DecideOutcome } from "../../actions/representation-service.js";
import { ENTERPRISE_SIZE_IDS, SECTOR_IDS } from "../../domain/sectors.js";
import { maskTaxId } from "../../domain/personal-id.js";
import type { ConsoleContext } from "../context.js";
import { defineConsolePage } from "../define-page.js";
import { sendDownload } from "../download.js";
import { PAGE_SIZE, choice, fieldProblems, filterQuery, listQueryBase, paging, plainQuery } from "../list-query.js";

const FRAME = { nav: "enterprises", title: "console-enterprises:title" };
const schema = z.object({
  ...listQueryBase,
  sector: choice(SECTOR_IDS, "console-enterprises:errors.sector"),
  size: choice(ENTERPRISE_SIZE_IDS, "console-enterprises:errors.size"),
});
/** Outcomes shown after a decision (the chat's own texts). */
const RESULTS = ["approved", "declined"] as const satisfies readonly DecideOutcome[];

const filterOf = (f: z.infer<typeof schema>) => ({ text: f.q, sector: f.sector || undefined, size: f.size || undefined });

/** Enterprises: search and filter, export the selection, decide pending requests to represent one. */
export const enterprisesPage = defineConsolePage({
  id: "enterprises",
  path: "/console/enterprises",
  nav: "console-enterprises:nav",
  routes(scope, ctx: ConsoleContext) {
    const show = async (request: FastifyRequest, reply: FastifyReply, notice?: { key: string; status: number }) => {
      const raw = plainQuery(request.query);
      const parsed = schema.safeParse(raw);
      const requests = await ctx.services.privacy.pending();
      const result = RESULTS.find((r) => r === raw.result);
      const base = {
        sectors: SECTOR_IDS, sizes: ENTERPRISE_SIZE_IDS, requests,
        values: { q: raw.q ?? "", sector: raw.sector ?? "", size: raw.size ?? "" },
        notice: notice?.key ?? (result ? `enterprise:requests.result.${result}` : null),
      };
      if (!parsed.success) return ctx.page(request, reply, "enterprises/list", FRAME, { ...base, problems: fieldProblems(parsed.error), rows: [], pager: null, exportQuery: null }, { status: 422 });
      const f = parsed.data;
      const filters = { q: f.q, sector: f.sector, size: f.size };
      const { rows, total } = await ctx.services.staff.lists.enterprises(filterOf(f), { skip: (f.page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
      const shown = rows.map((e) => ({ ...e, code: e.taxIdKind === "none" ? "" : e.taxIdKind === "personal_id" ? maskTaxId(e.taxCode) : e.taxCode, people: e.contacts.map((p) => ({ name: p.name, phone: nationalPhone(p.phone) ?? "" })) }));
      return ctx.page(request, reply, "enterprises/list", FRAME, { ...base, problems: {}, rows: shown, pager: paging(total, f.page, filters), exportQuery: filterQuery(filters) }, { status: notice?.status ?? 200, fragment: true });
    };
    scope.get("/console/enterprises", (request, reply) => show(request, reply));

    scope.get("/console/enterprises/export", { config: { audit: "export.enterprises" } }, async (request, reply) => {
      const raw = plainQuery(request.query);
      const parsed = schema.safeParse(raw);
      const format = z.enum(EXPORT_FORMATS).safeParse(raw.format ?? "xlsx");
      if (!parsed.success) return show(request, reply);
      if (!format.success) return ctx.page(request, reply, "message", FRAME, { message: "console-lists:errors.format" }, { status: 422 });
      return sendDownload(reply, await ctx.services.staff.lists.exportEnterprises(filterOf(parsed.data), { locale: ctx.user(request).locale, format: format.data }));
    });

    // A decision as staff, through the service the chat's /requests and `admin privacy approve|decline` use
    // (the requester and the enterprise's contacts are told; a privacy audit record is written).
    for (const decision of ["approve", "decline"] as const) {
      scope.post<{ Params: { id: string } }>(`/console/enterprises/requests/:id/${decision}`, { config: { audit: `representation.${decision}` } }, async (request, reply) => {
        const outcome = await ctx.services.privacy.decide(request.params.id, decision, ctx.user(request).staffKey);
        if (outcome === "approved" || outcome === "declined") return reply.redirect(`/console/enterprises?result=${outcome}`, 303);
        return show(request, reply, { key: `enterprise:requests.result.${outcome}`, status: outcome === "not_found" ? 404 : 409 });
      });
    }
  },
});
