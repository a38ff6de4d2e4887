/**
 * Which failed sends may have been delivered. A send that never reached the platform is safe to
 * retry; one that may have reached it is "unknown" and is never retried automatically (a retry
 * would message the person twice). The pieces here read errors by their shape only, so a
 * channel's definition can classify its platform's errors without loading the platform library.
 */
import { isRecord } from "../../shared/guards.js";
import type { SendFailure } from "./retry.js";

// Failures before a connection existed: the request cannot have been written.
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL", "ERR_INVALID_URL"]);

/** Default wait after a 429 that gave no `retry_after`. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** True when a network error `code` proves the request never reached the platform. */
export function notDeliveredNetworkCode(code: string | undefined): boolean {
  return code !== undefined && NOT_CONNECTED.has(code);
}

/** True for an HTTP status after which the platform may have delivered (5xx: it may have acted first). */
export function ambiguousStatus(status: number): boolean {
  return status >= 500;
}

/** A network failure by its system code: "transient" when the request surely never left, else "unknown". */
export function networkFailure(code: string): SendFailure {
  return notDeliveredNetworkCode(code) ? { ok: false, kind: "transient", code } : { ok: false, kind: "unknown", code };
}

/**
 * A thrown value that is not a platform answer: its system `code` (node-fetch, axios and Node's
 * own errors carry one), "timeout" for an abort (our own deadline), else "network".
 */
export function classifyThrown(error: unknown): SendFailure {
  const code = isRecord(error) ? error.code : undefined;
  return networkFailure(typeof code === "string" ? code : isRecord(error) && error.name === "AbortError" ? "timeout" : "network");
}

/** A platform's refusal as read from its error: the status (or API error code), its text, its wait. */
export interface ApiRefusal {
  readonly status: number;
  readonly description: string;
  /** A 429's `retry_after`, in ms, when the platform gave one. */
  readonly retryAfterMs?: number | undefined;
}

/**
 * The rule both bot APIs follow: 429 → rate_limited; 403, and a 400 whose text says the recipient
 * is gone (`gone`), → unreachable; 5xx → unknown (it may have acted); other 4xx → transient.
 */
export function classifyRefusal(refusal: ApiRefusal, gone: RegExp): SendFailure {
  const { status } = refusal;
  if (status === 429) return { ok: false, kind: "rate_limited", retryAfterMs: refusal.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS };
  if (status === 403 || (status === 400 && gone.test(refusal.description))) return { ok: false, kind: "unreachable", code: String(status) };
  if (ambiguousStatus(status)) return { ok: false, kind: "unknown", code: String(status) };
  return { ok: false, kind: "transient", code: String(status) };
}
