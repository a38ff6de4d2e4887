/** Broadcast and delivery states: one declaration for the schemas, the repositories and the jobs. */

/** A broadcast's lifecycle: scheduled → sending → done; or cancelled before it starts. */
export const BROADCAST_STATUSES = ["scheduled", "sending", "done", "cancelled"] as const;
/** One of `BROADCAST_STATUSES`. */
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/**
 * A delivery's final state, once the platform answered; `unknown`: the answer was lost (reset,
 * timeout, 5xx), so it may have been delivered. It is reported in doubt and never retried.
 */
export const DELIVERY_OUTCOME_STATUSES = ["sent", "failed", "unreachable", "unknown"] as const;
/** One of `DELIVERY_OUTCOME_STATUSES`. */
export type DeliveryOutcomeStatus = (typeof DELIVERY_OUTCOME_STATUSES)[number];

/** What a delivery record says: the claim before the send, an outcome, or the hand-over to a resend. */
export const DELIVERY_RECORD_STATUSES = ["claimed", ...DELIVERY_OUTCOME_STATUSES, "resent"] as const;
/** One of `DELIVERY_RECORD_STATUSES`. */
export type DeliveryRecordStatus = (typeof DELIVERY_RECORD_STATUSES)[number];

/** A reminder claim's state: claimed before the send, then what the platform answered. */
export const REMINDER_STATUSES = ["claimed", "sent", "failed", "unreachable", "in_doubt"] as const;
/** One of `REMINDER_STATUSES`. */
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];
