/**
 * The hand-off to a person: a question becomes a ticket, forwarded to staff (everyone in
 * `HANDOFF_STAFF_IDS` if set, else all staff) on their own channel; a staff answer reaches the
 * person in their channel and language. Used by the chat actions and the admin CLI alike.
 */
import { isChannelName } from "../channels/registry.js";
import type { Msg, Notifier, UserRef } from "../engine/messages.js";
import { userKey } from "../engine/messages.js";
import { parseUserKey } from "../shared/user-key.js";
import type { Ticket, TicketsRepo } from "../db/tickets-repo.js";
import type { Clock } from "../shared/clock.js";

/** What the service needs. */
export interface TicketServiceDeps {
  repo: TicketsRepo;
  notifier: Notifier;
  /** Who receives new tickets: the duty list, else every staff member (`channel:userId` keys). */
  recipients(): Promise<string[]>;
  /** Stamps tickets and answers, and measures the rate window. */
  clock: Clock;
  /** At most this many tickets per person per `rateWindowMs` (default 3 an hour). */
  rateLimit?: number;
  rateWindowMs?: number;
}

/** Opening a ticket: its number, or refused by the rate limit. */
export type OpenResult = { ok: true; number: number; forwarded: number } | { ok: false; reason: "rate_limited" };
/** Answering a ticket. */
export type AnswerResult = { ok: true } | { ok: false; reason: "not_found" | "closed" | "undelivered" };

/** `channel:userId` → a UserRef (null for a malformed key). */
export function userOf(key: string): UserRef | null {
  const user = parseUserKey(key);
  return user && isChannelName(user.channel) ? user : null;
}

/** Builds the ticket service. */
export function createTicketService(deps: TicketServiceDeps) {
  const limit = deps.rateLimit ?? 3;
  const windowMs = deps.rateWindowMs ?? 3_600_000;
  return {
    /** Opens a ticket for `person` and forwards it to staff. */
    async open(person: UserRef, name: string, question: string): Promise<OpenResult> {
      const now = new Date(deps.clock.now());
      const contactId = userKey(person);
      if ((await deps.repo.countSince(contactId, new Date(now.getTime() - windowMs))) >= limit) return { ok: false, reason: "rate_limited" };
      const number = await deps.repo.open({ contactId, channel: person.channel, userId: person.userId, name, question, createdAt: now });
      const forward: Msg = { key: "handoff:staff.forward", params: { number, name, channel: person.channel, question } };
      let forwarded = 0;
      for (const key of await deps.recipients()) {
        const staff = userOf(key);
        if (staff && (await deps.notifier.notify(staff, [forward])).ok) forwarded += 1;
      }
      return { ok: true, number, forwarded };
    },
    /** Sends `answer` to the person who asked and records it (the ticket stays answerable until closed). */
    async answer(number: number, answer: string, by: string): Promise<AnswerResult> {
      const ticket = await deps.repo.get(number);
      if (!ticket) return { ok: false, reason: "not_found" };
      if (ticket.status === "closed") return { ok: false, reason: "closed" };
      const person = userOf(ticket.contactId);
      const sent = person ? await deps.notifier.notify(person, [{ key: "handoff:answer", params: { number, answer } }]) : { ok: false as const };
      // Not delivered: the ticket stays as it was, so staff can try again or reach the person another way.
      if (!sent.ok) return { ok: false, reason: "undelivered" };
      return (await deps.repo.answer(number, answer, by, new Date(deps.clock.now()))) ? { ok: true } : { ok: false, reason: "closed" };
    },
    /** Open and answered tickets, oldest first. */
    list: (): Promise<Ticket[]> => deps.repo.listOpen(),
    close: (number: number): Promise<boolean> => deps.repo.close(number, new Date(deps.clock.now())),
  };
}

/** The ticket service's type. */
export type TicketService = ReturnType<typeof createTicketService>;

/** Parses `/reply <ticket> <text>` arguments. */
export function parseReplyArgs(args: string): { number: number; text: string } | null {
  const m = /^#?(\d{1,9})\s+([\s\S]+)$/.exec(args.trim());
  return m ? { number: Number(m[1]), text: m[2]!.trim() } : null;
}
