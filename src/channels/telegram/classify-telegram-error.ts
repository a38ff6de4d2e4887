/** Maps a failed Telegram Bot API call to a SendResult failure kind. */
import { TelegramError } from "telegraf";
import type { SendFailure } from "../shared/retry.js";
import { ambiguousStatus, notDeliveredNetworkCode } from "../shared/send-outcome.js";
import { isRecord } from "../../shared/guards.js";

/** Default wait after a 429 without `retry_after`. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

// 400s that mean the recipient is gone for good (see docs: "chat not found" and friends).
const GONE_400 = /chat not found|user not found|PEER_ID_INVALID|bot can't initiate conversation/i;

/**
 * 429 → rate_limited (retry_after); 403 and "chat not found" → unreachable; other 4xx and a
 * connection never made → transient (not delivered); 5xx, reset, timeout → unknown (maybe delivered).
 */
export function classifyTelegramError(error: unknown): SendFailure {
  if (!(error instanceof TelegramError)) {
    // node-fetch's FetchError carries the system code; an abort (our timeout) has none.
    const code = isRecord(error) ? error.code : undefined;
    const name = typeof code === "string" ? code : isRecord(error) && error.name === "AbortError" ? "timeout" : "network";
    return notDeliveredNetworkCode(name) ? { ok: false, kind: "transient", code: name } : { ok: false, kind: "unknown", code: name };
  }
  const code = error.code;
  if (code === 429) {
    const after = error.parameters?.retry_after;
    return { ok: false, kind: "rate_limited", retryAfterMs: after === undefined ? DEFAULT_RETRY_AFTER_MS : after * 1000 };
  }
  if (code === 403 || (code === 400 && GONE_400.test(error.description))) {
    return { ok: false, kind: "unreachable", code: String(code) };
  }
  if (ambiguousStatus(code)) return { ok: false, kind: "unknown", code: String(code) };
  return { ok: false, kind: "transient", code: String(code) };
}
