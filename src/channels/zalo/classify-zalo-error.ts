/** Maps a Zalo client failure to a SendResult failure kind. */
import type { SendFailure } from "../shared/retry.js";
import { ambiguousStatus, notDeliveredNetworkCode } from "../shared/send-outcome.js";
import { ZaloApiError } from "./zalo-api-error.js";

/** Default wait after a 429 that gave no `retry_after`. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

// Zalo's wording for a recipient that is gone is not documented (unsure): match the likely phrases.
const GONE = /(chat|user|recipient)[^.]*(not found|not exist|invalid)|blocked|deactivated/i;

/**
 * 429 → rate_limited; 403 and "chat not found"-like 400 → unreachable; other 4xx and a connection
 * never made → transient (not delivered); 5xx, reset, timeout, garbled answer → unknown.
 */
export function classifyZaloError(error: unknown): SendFailure {
  if (!(error instanceof ZaloApiError)) return { ok: false, kind: "unknown", code: "unknown" };
  const code = error.errorCode;
  if (code === 0) {
    const net = error.networkCode ?? "network";
    return notDeliveredNetworkCode(net) ? { ok: false, kind: "transient", code: net } : { ok: false, kind: "unknown", code: net };
  }
  if (code === 429) {
    return { ok: false, kind: "rate_limited", retryAfterMs: error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS };
  }
  if (code === 403 || (code === 400 && GONE.test(error.description))) {
    return { ok: false, kind: "unreachable", code: String(code) };
  }
  // An answer we could not read (HTTP 200 with a broken body) may still mean "sent".
  if (ambiguousStatus(code) || error.unreadable) return { ok: false, kind: "unknown", code: String(code) };
  return { ok: false, kind: "transient", code: String(code) };
}
