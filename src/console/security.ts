/**
 * The console's request checks, pure: same-origin for every change (Origin and Fetch Metadata),
 * the session's CSRF token in constant time, and the response headers every page carries.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { ownPagesCsp } from "../server/csp.js";

/** Whether a state-changing request comes from the console's own pages. */
export function sameOrigin(headers: IncomingHttpHeaders, host: string | undefined): boolean {
  // Browsers say where a request comes from (Fetch Metadata); older ones only send Origin.
  const site = headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin" || site === "none";
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (origin === "null" || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Whether `given` is the session's CSRF token. */
export function csrfMatches(given: unknown, expected: string): boolean {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Headers on every console response: nothing from elsewhere, never framed, never cached, no referrer to other sites (sign-in tokens are in URLs). */
export const CONSOLE_HEADERS = {
  "content-security-policy": ownPagesCsp([]),
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // Same-origin only: a sign-in URL never leaves as a Referer, and our own forms keep a real Origin.
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
} as const;
