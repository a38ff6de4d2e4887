/**
 * The seam between the HTTP server and a channel in webhook mode: the server checks the
 * secret header and hands the parsed body over; the channel validates, de-duplicates and
 * queues it, and answers at once (processing continues in the background).
 */

/** What became of one webhook delivery. */
export type WebhookReceipt =
  /** Queued for processing. */
  | "accepted"
  /** Already seen (a re-delivery): answer 2xx so the platform stops retrying. */
  | "duplicate"
  /** Not an update we understand: answer 400. */
  | "invalid"
  /** Backlog full: answer 503 so the platform retries later. */
  | "busy";

/** A channel's webhook endpoint as the server sees it. */
export interface WebhookReceiver {
  /** The shared secret the platform sends in its header. */
  readonly secret: string;
  /** Takes one delivery's JSON body. Never throws (or rejects). */
  receive(body: unknown): WebhookReceipt | Promise<WebhookReceipt>;
}
