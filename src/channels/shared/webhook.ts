/**
 * The seam between the HTTP server and a channel in webhook mode. The channel decides who may
 * deliver: `authorize` sees the headers before the body is read (a shared secret header), and
 * `verify` sees the raw request — headers and the body's exact bytes — for platforms that sign
 * the body (an HMAC). The channel then validates, de-duplicates and queues the parsed body and
 * answers at once (processing continues in the background).
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

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

/** A webhook request as it arrived: headers and the body's exact bytes. */
export interface RawWebhookRequest {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

/** A channel's webhook endpoint as the server sees it (mounted at `/webhooks/<channel>`). */
export interface WebhookReceiver {
  /** Checked before the body is read: an unauthenticated request costs nothing. False → 401. */
  authorize?(headers: IncomingHttpHeaders): boolean;
  /** Checked on the raw request once read (e.g. a signature of the body). False → 401. */
  verify?(request: RawWebhookRequest): boolean;
  /** Takes one delivery's JSON body. Never throws (or rejects). */
  receive(body: unknown): WebhookReceipt | Promise<WebhookReceipt>;
}

/** An `authorize` that compares a secret header with the expected secret in constant time. */
export function secretHeader(header: string, expected: string): (headers: IncomingHttpHeaders) => boolean {
  const want = Buffer.from(expected, "utf8");
  return (headers) => {
    const given = headers[header];
    if (typeof given !== "string" || want.length === 0) return false;
    const got = Buffer.from(given, "utf8");
    return got.length === want.length && timingSafeEqual(got, want);
  };
}

/** Constant-time equality of two byte strings (for signatures). */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
