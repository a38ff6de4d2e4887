/**
 * Maps a failed Telegram Bot API call to a SendResult failure kind, reading the error by its
 * shape (telegraf's TelegramError carries the API's answer in `response`), so the channel's
 * definition can hold it without loading telegraf.
 */
import type { SendFailure } from "../shared/retry.js";
import { classifyRefusal, classifyThrown } from "../shared/send-outcome.js";
import { isRecord } from "../../shared/guards.js";

// 400s that mean the recipient is gone for good (see docs: "chat not found" and friends).
const GONE_400 = /chat not found|user not found|PEER_ID_INVALID|bot can't initiate conversation/i;

/**
 * 429 → rate_limited (retry_after); 403 and "chat not found" → unreachable; other 4xx and a
 * connection never made → transient (not delivered); 5xx, reset, timeout → unknown (maybe delivered).
 */
export function classifyTelegramError(error: unknown): SendFailure {
  // TelegramError: { response: { error_code, description, parameters?: { retry_after } } }.
  const response = isRecord(error) && isRecord(error.response) ? error.response : undefined;
  if (!response || typeof response.error_code !== "number") return classifyThrown(error);
  const after = isRecord(response.parameters) ? response.parameters.retry_after : undefined;
  return classifyRefusal(
    {
      status: response.error_code,
      description: typeof response.description === "string" ? response.description : "",
      retryAfterMs: typeof after === "number" ? after * 1000 : undefined,
    },
    GONE_400,
  );
}
