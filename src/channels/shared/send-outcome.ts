/**
 * Which failed sends may have been delivered. A send that never reached the platform is safe to
 * retry; one that may have reached it is "unknown" and is never retried automatically (a retry
 * would message the person twice).
 */

// Failures before a connection existed: the request cannot have been written.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "ERR_INVALID_URL"]);

/** True when a network error `code` proves the request never reached the platform. */
export function notDeliveredNetworkCode(code: string | undefined): boolean {
  return code !== undefined && NOT_CONNECTED.has(code);
}

/** True for an HTTP status after which the platform may have delivered (5xx: it may have acted first). */
export function ambiguousStatus(status: number): boolean {
  return status >= 500;
}
