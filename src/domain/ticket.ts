/** A question handed over to staff: open → answered (again, until closed) → closed. */
export const TICKET_STATUSES = ["open", "answered", "closed"] as const;
/** One of `TICKET_STATUSES`. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** The statuses of a ticket staff still work on. */
export const ACTIVE_TICKET_STATUSES = ["open", "answered"] as const satisfies readonly TicketStatus[];
