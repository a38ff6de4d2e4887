/** Maps a Zalo client failure to a SendResult failure kind. */
import type { SendFailure } from "../shared/retry.js";
import { ZaloApiError } from "./zalo-api-error.js";

/** Default wait after a 429 that gave no `retry_after`. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

// Zalo's wording for a recipient that is gone is not documented (unsure): match the likely phrases.
const GONE = /(chat|user|recipient)[^.]*(not found|not exist|invalid)|blocked|deactivated/i;

/** 429 → rate_limited; 403 and "chat not found"-like 400 → unreachable; the rest → transient. */
export function classifyZaloError(error: unknown): SendFailure {
  if (!(error instanceof ZaloApiError)) return { ok: false, kind: "transient", code: "unknown" };
  const code = error.errorCode;
  if (code === 429) {
    return { ok: false, kind: "rate_limited", retryAfterMs: error.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS };
  }
  if (code === 403 || (code === 400 && GONE.test(error.description))) {
    return { ok: false, kind: "unreachable", code: String(code) };
  }
  return { ok: false, kind: "transient", code: code === 0 ? "network" : String(code) };
}
