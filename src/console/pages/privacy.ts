import type { FastifyReply, FastifyRequest } from "fastify";
import { isSubject } from "../../admin/privacy-requests.js";
import type { ConsoleContext } from "../context.js";
import { defineConsolePage } from "../define-page.js";
import { plainQuery } from "../list-query.js";

const FRAME = { nav: "privacy", title: "console-privacy:title" };
const COUNT = /^\d{1,6}$/;

/** What the page shows besides the lookup form. */
interface View {
  account: string;
  problem?: { field: "account" | "confirm"; key: string } | null;
  lines?: string[] | null;
  erased?: { registrations: string; enterprises: string; requests: string } | null;
}

/**
 * Requests about personal data by phone or letter: look an account up, show what is stored,
 * export it, erase it after a confirmation — the functions of `npm run admin -- privacy`, each
 * also writing its privacy audit record.
 */
export const privacyPage = defineConsolePage({
  id: "privacy",
  path: "/console/privacy",
  nav: "console-privacy:nav",
  routes(scope, ctx: ConsoleContext) {
    const render = (request: FastifyRequest, reply: FastifyReply, view: View, status = 200) =>
      ctx.page(request, reply, "privacy/page", FRAME, { problem: null, lines: null, erased: null, ...view }, { status });
    const badAccount = (request: FastifyRequest, reply: FastifyReply, account: string) =>
      render(request, reply, { account, problem: { field: "account", key: "staff:cli.privacy.bad_subject" } }, 422);

    scope.get("/console/privacy", async (request, reply) => {
      const raw = plainQuery(request.query);
      const erased = raw.erased && isSubject(raw.erased) && [raw.r, raw.e, raw.q].every((n) => n !== undefined && COUNT.test(n))
        ? { registrations: raw.r!, enterprises: raw.e!, requests: raw.q! } : null;
      return render(request, reply, { account: erased ? raw.erased! : "", erased });
    });

    // Reading someone's data is recorded twice: the console's audit and the privacy audit.
    scope.get("/console/privacy/show", { config: { audit: "privacy.show" } }, async (request, reply) => {
      const account = (plainQuery(request.query).account ?? "").trim();
      if (!isSubject(account)) return badAccount(request, reply, account);
      const user = ctx.user(request);
      const lines = await ctx.services.privacy.show(account, user.staffKey, user.locale);
      return render(request, reply, { account, lines });
    });

    scope.get("/console/privacy/export", { config: { audit: "export.privacy" } }, async (request, reply) => {
      const account = (plainQuery(request.query).account ?? "").trim();
      if (!isSubject(account)) return badAccount(request, reply, account);
      const json = await ctx.services.privacy.export(account, ctx.user(request).staffKey);
      const name = `data-${account.replace(/[^\w.-]+/g, "_")}.json`;
      return reply.type("application/json; charset=utf-8").header("content-disposition", `attachment; filename="${name}"`).send(json);
    });

    scope.post<{ Body: { account?: unknown; confirm?: unknown } }>("/console/privacy/erase", { config: { audit: "privacy.erase" } }, async (request, reply) => {
      const account = typeof request.body?.account === "string" ? request.body.account.trim() : "";
      if (!isSubject(account)) return badAccount(request, reply, account);
      // Staff type the account again: erasing cannot be undone.
      const confirm = typeof request.body?.confirm === "string" ? request.body.confirm.trim() : "";
      if (confirm !== account) return render(request, reply, { account, problem: { field: "confirm", key: "console-privacy:errors.confirm" } }, 422);
      const counts = await ctx.services.privacy.erase(account, ctx.user(request).staffKey);
      const query = new URLSearchParams({ erased: account, r: String(counts.registrations), e: String(counts.enterprises), q: String(counts.requests) });
      return reply.redirect(`/console/privacy?${query.toString()}`, 303);
    });
  },
});
