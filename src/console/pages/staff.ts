import type { FastifyReply, FastifyRequest } from "fastify";
import type { StaffChange } from "../../admin/staff-access.js";
import type { ConsoleContext } from "../context.js";
import { defineConsolePage } from "../define-page.js";
import { plainQuery } from "../list-query.js";

const FRAME = { nav: "staff", title: "console-staff:title" };
/** Outcomes that changed something (shown after the redirect). */
const DONE: readonly StaffChange[] = ["added", "removed"];
/** The HTTP status of an outcome that changed nothing. */
const REFUSED: Partial<Record<StaffChange, number>> = { invalid: 422, self: 409, configured: 409, not_found: 404, already: 200 };

/** What a form showed: which form, the typed id, the outcome's text. */
interface Result {
  form: "add" | "remove" | null;
  id: string;
  change: StaffChange;
}

/** Staff members: those from STAFF_IDS (changed only there) and those added; add and remove, as `/staff add|remove`. */
export const staffPage = defineConsolePage({
  id: "staff",
  path: "/console/staff",
  nav: "console-staff:nav",
  routes(scope, ctx: ConsoleContext) {
    const show = async (request: FastifyRequest, reply: FastifyReply, result?: Result, status = 200) => {
      const raw = plainQuery(request.query);
      const done = DONE.find((d) => d === raw.result);
      const shown = result ?? (done ? { form: null, id: raw.id ?? "", change: done } : null);
      const { configured, stored } = await ctx.services.staff.access.list();
      return ctx.page(request, reply, "staff/list", FRAME, { configured, stored, result: shown, me: ctx.user(request).staffKey }, { status });
    };
    scope.get("/console/staff", (request, reply) => show(request, reply));

    const change = (form: "add" | "remove") => async (request: FastifyRequest<{ Body: { key?: unknown } }>, reply: FastifyReply) => {
      const typed = typeof request.body?.key === "string" ? request.body.key : "";
      const by = ctx.user(request).staffKey;
      const outcome = form === "add" ? await ctx.services.staff.access.add(typed, by) : await ctx.services.staff.access.remove(typed, by);
      if (outcome === "removed") {
        // Their console stops at their next request anyway (every request asks); end the sessions now too.
        await ctx.services.repos.console.endSessionsOf(typed.trim());
      }
      if (DONE.includes(outcome)) return reply.redirect(`/console/staff?${new URLSearchParams({ result: outcome, id: typed.trim() }).toString()}`, 303);
      return show(request, reply, { form, id: typed, change: outcome }, REFUSED[outcome] ?? 422);
    };
    scope.post("/console/staff/add", { config: { audit: "staff.add" } }, change("add"));
    scope.post("/console/staff/remove", { config: { audit: "staff.remove" } }, change("remove"));
  },
});
