/** Tickets (questions handed over to staff) in MongoDB; numbers are claimed by unique insert. */
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { collectionOf } from "./models/collection.js";
import type { TicketDoc } from "./models/ticket.js";
import { ACTIVE_TICKET_STATUSES } from "../domain/ticket.js";

/** A stored ticket (its schema's type). */
export type Ticket = TicketDoc;

/** Every read gives up after this long (a slow database must not hang an update). */
const MAX_TIME_MS = 5_000;
/** Numbers tried before giving up when other processes keep taking them. */
const MAX_CLAIMS = 20;

/** The tickets repository. */
export function createTicketsRepo(db: Database) {
  const tickets = db.models.ticket;
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  const ticketRows = () => collectionOf(tickets);
  return {
    /** Inserts a ticket under the next free number and returns it. */
    async open(t: Omit<Ticket, "_id" | "status">): Promise<number> {
      for (let i = 0; i < MAX_CLAIMS; i++) {
        const last = await tickets.findOne({}, { _id: 1 }).sort({ _id: -1 }).maxTimeMS(MAX_TIME_MS).lean();
        const number = (last?._id ?? 0) + 1 + i;
        try {
          await ticketRows().insertOne({ ...t, _id: number, status: "open" });
          return number;
        } catch (error) {
          // Another process took this number between our read and our insert: try the next.
          if (!isDuplicateKey(error)) throw error;
        }
      }
      throw new Error("tickets: could not claim a ticket number");
    },
    /** Tickets one person opened since `since` (for the rate limit). */
    async countSince(contactId: string, since: Date): Promise<number> {
      return tickets.countDocuments({ contactId, createdAt: { $gte: since } }).maxTimeMS(MAX_TIME_MS);
    },
    async get(number: number): Promise<Ticket | null> {
      return tickets.findOne({ _id: number }).maxTimeMS(MAX_TIME_MS).lean();
    },
    /** Tickets not closed, oldest first. */
    async listOpen(limit = 50): Promise<Ticket[]> {
      return tickets.find({ status: { $in: [...ACTIVE_TICKET_STATUSES] } }).sort({ _id: 1 }).limit(limit).maxTimeMS(MAX_TIME_MS).lean();
    },
    /** Records an answer (a ticket may be answered again until closed); false when it is closed or missing. */
    async answer(number: number, answer: string, by: string, at: Date): Promise<boolean> {
      const r = await tickets.updateOne({ _id: number, status: { $in: [...ACTIVE_TICKET_STATUSES] } }, { $set: { status: "answered", answer, answeredBy: by, answeredAt: at } });
      return r.matchedCount > 0;
    },
    /** Closes a ticket; false when it was already closed or missing. */
    async close(number: number, at: Date): Promise<boolean> {
      const r = await tickets.updateOne({ _id: number, status: { $in: [...ACTIVE_TICKET_STATUSES] } }, { $set: { status: "closed", closedAt: at } });
      return r.matchedCount > 0;
    },
  };
}

/** The tickets repository's type. */
export type TicketsRepo = ReturnType<typeof createTicketsRepo>;
