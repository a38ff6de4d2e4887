import { z } from "zod";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ConsoleContext } from "../context.js";
import { defineConsolePage } from "../define-page.js";
import { plainQuery } from "../list-query.js";

const FRAME = { nav: "questions", title: "console-questions:title" };
/** A ticket number as it appears in the address. */
const numberSchema = z.string().regex(/^\d{1,9}$/).transform(Number);
/** An answer as staff type it (a chat message must stay readable: the channels cut long ones). */
const answerSchema = z.string().trim().min(1, "console-questions:errors.answer_empty").max(3000, "console-questions:errors.answer_too_long");

/** What a form left on one ticket: the typed answer and its problem. */
interface Draft {
  number: number;
  answer: string;
  problem: string;
}

/** A message shown above the list. */
interface Notice {
  key: string;
  params: Record<string, string | number>;
}

/** The hand-off inbox: questions the bot passed to staff, answered here as with /reply, and closed. */
export const questionsPage = defineConsolePage({
  id: "questions",
  path: "/console/questions",
  nav: "console-questions:nav",
  routes(scope, ctx: ConsoleContext) {
    const show = async (request: FastifyRequest, reply: FastifyReply, options: { draft?: Draft; notice?: Notice; status?: number } = {}) => {
      const raw = plainQuery(request.query);
      const done = numberSchema.safeParse(raw.sent ?? raw.closed ?? "");
      const notice: Notice | null = options.notice ?? (done.success ? { key: raw.sent ? "handoff:staff.sent" : "staff:cli.tickets.closed", params: { number: done.data } } : null);
      const tickets = await ctx.services.tickets.list();
      return ctx.page(request, reply, "questions/list", FRAME, { tickets, draft: options.draft ?? null, notice }, { status: options.status ?? 200 });
    };
    scope.get("/console/questions", (request, reply) => show(request, reply));

    scope.post<{ Params: { id: string }; Body: { answer?: unknown } }>("/console/questions/:id/reply", { config: { audit: "ticket.reply" } }, async (request, reply) => {
      const number = numberSchema.safeParse(request.params.id);
      if (!number.success) return show(request, reply, { notice: { key: "console:errors.not_found", params: {} }, status: 404 });
      const typed = typeof request.body?.answer === "string" ? request.body.answer : "";
      const answer = answerSchema.safeParse(typed);
      if (!answer.success) return show(request, reply, { draft: { number: number.data, answer: typed, problem: answer.error.issues[0]!.message }, status: 422 });
      // The person gets it through their own channel, as with /reply; nothing is recorded unless it was delivered.
      const result = await ctx.services.tickets.answer(number.data, answer.data, ctx.user(request).staffKey);
      if (result.ok) return reply.redirect(`/console/questions?sent=${number.data}`, 303);
      const problem = `handoff:staff.${result.reason}`;
      return show(request, reply, { draft: { number: number.data, answer: typed, problem }, status: result.reason === "not_found" ? 404 : result.reason === "closed" ? 409 : 502 });
    });

    scope.post<{ Params: { id: string } }>("/console/questions/:id/close", { config: { audit: "ticket.close" } }, async (request, reply) => {
      const number = numberSchema.safeParse(request.params.id);
      if (number.success && (await ctx.services.tickets.close(number.data))) return reply.redirect(`/console/questions?closed=${number.data}`, 303);
      return show(request, reply, { notice: { key: "staff:cli.tickets.not_closed", params: { number: request.params.id } }, status: 404 });
    });
  },
});
