import { Schema, type Connection, type InferSchemaType } from "mongoose";
import { TICKET_STATUSES } from "../../domain/ticket.js";

/**
 * A question handed over to staff. `_id` is the ticket number: a new ticket claims the next
 * number by inserting it (a second process claiming the same number gets error 11000 and tries
 * the next). Status: open → answered → closed.
 */
export const ticketSchema = new Schema(
  {
    _id: { type: Number, required: true },
    /** `channel:userId` of the person who asked. */
    contactId: { type: String, required: true },
    channel: { type: String, required: true },
    userId: { type: String, required: true },
    /** The name the person gave (shared with staff by their consent). Personal data: never log it. */
    name: { type: String, required: true },
    question: { type: String, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    createdAt: { type: Date, required: true },
    answer: { type: String },
    answeredBy: { type: String },
    answeredAt: { type: Date },
    closedAt: { type: Date },
  },
  { minimize: false, versionKey: false },
);
/** A ticket as stored. */
export type TicketDoc = InferSchemaType<typeof ticketSchema>;

ticketSchema.index({ contactId: 1, createdAt: -1 });
ticketSchema.index({ status: 1, _id: 1 });

/** The Ticket model on a connection (collection `tickets`). */
export function ticketModel(conn: Connection) {
  return conn.model("Ticket", ticketSchema, "tickets");
}
