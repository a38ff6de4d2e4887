import { ownPagesCsp } from "../../server/csp.js";

/**
 * Which sites may embed the chat (`WEB_ALLOWED_ORIGINS`) and the headers that enforce it: the
 * page's CSP `frame-ancestors`, CORS on `/widget.js`, and the WebSocket `Origin` check.
 */

/** An origin as browsers send it: scheme://host[:port], lower-case, no path. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The bot's own origin as the request reached it (`Host` header, scheme). */
export function ownOrigin(protocol: string, host: string | undefined): string | undefined {
  return host ? normalizeOrigin(`${protocol}://${host}`) : undefined;
}

/** The allowed embedding origins plus the bot itself. */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  /** `allowed`: full origins such as https://sokhcn.khanhhoa.gov.vn (invalid entries are refused by the config). */
  constructor(allowed: readonly string[]) {
    this.allowed = new Set(allowed.map((o) => normalizeOrigin(o)).filter((o): o is string => o !== undefined));
  }

  /** The configured origins (for CSP and the widget). */
  get origins(): string[] {
    return [...this.allowed];
  }

  /** Whether a site at `origin` may embed the chat (not the bot's own pages). */
  embeds(origin: string | undefined): boolean {
    const o = origin ? normalizeOrigin(origin) : undefined;
    return o !== undefined && this.allowed.has(o);
  }

  /**
   * Whether a WebSocket opened from `origin` may talk to the bot: the bot's own page (same
   * origin) or an allowed site. No `Origin` at all is a non-browser client, which cannot ride
   * on a visitor's cookie from another site, so it is let through (it still needs the cookie).
   */
  socketAllowed(origin: string | undefined, own: string | undefined): boolean {
    if (origin === undefined) return true;
    const o = normalizeOrigin(origin);
    if (o === undefined) return false;
    // The bot's own page is recognised by host alone: behind a TLS proxy the request arrives as
    // http while the page's Origin says https.
    return (own !== undefined && new URL(o).host === new URL(own).host) || this.allowed.has(o);
  }

  /** The chat page's Content-Security-Policy: nothing but our own files, framed only by allowed sites. */
  pageCsp(): string {
    return ownPagesCsp(["'self'", ...this.allowed]);
  }
}
