/**
 * The anonymous visitor id: random, in a signed, httpOnly, SameSite cookie. Secure everywhere
 * except a developer's own http://localhost (browsers drop Secure cookies over plain http).
 * An id is never put in a URL, and a cookie whose signature does not match is refused.
 */
import { randomBytes } from "node:crypto";

/** The cookie's name. */
export const VISITOR_COOKIE = "nscl_visitor";
/** How long a visitor is remembered without visiting (the cookie's Max-Age, seconds). */
export const VISITOR_MAX_AGE_S = 90 * 24 * 3600;

const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;

/** A new random visitor id (128 bits). */
export function newVisitorId(): string {
  return randomBytes(16).toString("base64url");
}

/** Whether `id` has the shape of an id we issue. */
export function isVisitorId(id: string): boolean {
  return VISITOR_ID.test(id);
}

/** Whether the request is a developer's plain-http localhost (shared with the staff console). */
export { isLocalDev } from "../../server/local-dev.js";

/** The cookie's attributes for this request. */
export function visitorCookieOptions(localDev: boolean) {
  // Embedded in another site's page the chat is a third-party frame: the cookie must be
  // SameSite=None (hence Secure) and is Partitioned, so it exists only under that site.
  return localDev
    ? { path: "/", httpOnly: true, secure: false, sameSite: "lax" as const, signed: true, maxAge: VISITOR_MAX_AGE_S }
    : { path: "/", httpOnly: true, secure: true, sameSite: "none" as const, partitioned: true, signed: true, maxAge: VISITOR_MAX_AGE_S };
}

/** The cookie secret: `WEB_COOKIE_SECRET`, or (development only) a random one for this process. */
export function cookieSecret(configured: string | undefined, warn: (message: string) => void): string {
  if (configured) return configured;
  warn("WEB_COOKIE_SECRET is not set: web visitors are remembered only until the bot restarts");
  return randomBytes(32).toString("base64url");
}
