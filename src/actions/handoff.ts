/**
 * Chat actions of the hand-off to a person (flows/handoff.yaml, /tickets, /reply):
 * `handoff_has_question` → `has_question` when the fallback already passed the question, else `ok`;
 * `open_ticket` → `ok` (vars.ticket_number) or `limited` (rate limit);
 * `reply_ticket` (staff; data.args = "<ticket> <text>") → `ok`, `usage`, `not_found`, `closed` or `undelivered`;
 * `list_tickets` (staff) → `ok` with one line per open ticket, or `none`.
 */
import { bindActions, defineActions, type ActionsOf } from "../engine/actions.js";
import type { Ticket } from "../db/tickets-repo.js";
import { userKey, type Msg } from "../engine/messages.js";
import { parseReplyArgs, type TicketService } from "./tickets-service.js";

/** The hand-off actions. */
export const HANDOFF_ACTIONS = defineActions({
  handoff_has_question: { readOnly: true },
  open_ticket: {},
  reply_ticket: {},
  list_tickets: { readOnly: true },
});

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : "");

/** A question shown in a list line: one line, bounded. */
const short = (text: string): string => {
  const one = text.replace(/\s+/g, " ");
  return one.length > 120 ? `${one.slice(0, 119)}…` : one;
};

/** One ticket as a list line (the chat's /tickets and the CLI's `tickets list`). */
export const ticketLine = (t: Ticket): Msg => ({ key: `handoff:staff.line_${t.status}`, params: { number: t._id, name: t.name, channel: t.channel, question: short(t.question) } });

/** Builds the hand-off actions on a ticket service. */
export function createHandoffActions(tickets: TicketService): ActionsOf<typeof HANDOFF_ACTIONS> {
  return bindActions(HANDOFF_ACTIONS, {
    handoff_has_question: async (ctx) => ({ outcome: str(ctx.data.question) ? "has_question" : "ok" }),
    async open_ticket(ctx) {
      const result = await tickets.open(ctx.user, str(ctx.data.person_name), str(ctx.data.question));
      if (!result.ok) return { outcome: "limited" };
      return { vars: { ticket_number: result.number } };
    },
    async reply_ticket(ctx) {
      const args = parseReplyArgs(str(ctx.data.args));
      if (!args) return { outcome: "usage" };
      const result = await tickets.answer(args.number, args.text, userKey(ctx.user));
      return { outcome: result.ok ? "ok" : result.reason, vars: { ticket_number: args.number } };
    },
    list_tickets: async () => {
      const open = await tickets.list();
      if (open.length === 0) return { outcome: "none" };
      const lines: Msg[] = open.map(ticketLine);
      return { say: [{ key: "handoff:staff.list_title", params: { count: open.length } }, ...lines] };
    },
  });
}
