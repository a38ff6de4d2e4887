/**
 * Maps a failed Zalo call to a SendResult failure kind, reading the error by its shape: the
 * client's ZaloApiError (`errorCode`, `description`, `retryAfterMs`, `networkCode`, `unreadable`),
 * or an axios error that escaped a custom transport (`response.status`, `code`). No axios import,
 * so the channel's definition can hold it.
 */
import type { SendFailure } from "../shared/retry.js";
import { classifyRefusal, classifyThrown, networkFailure } from "../shared/send-outcome.js";
import { isRecord } from "../../shared/guards.js";

// Zalo's wording for a recipient that is gone is not documented (unsure): match the likely phrases.
const GONE = /(chat|user|recipient)[^.]*(not found|not exist|invalid)|blocked|deactivated/i;

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * 429 → rate_limited; 403 and "chat not found"-like 400 → unreachable; other 4xx and a connection
 * never made → transient (not delivered); 5xx, reset, timeout, garbled answer → unknown.
 */
export function classifyZaloError(error: unknown): SendFailure {
  if (!isRecord(error)) return classifyThrown(error);
  if (typeof error.errorCode === "number") {
    // ZaloApiError: errorCode 0 is a network failure with its system code.
    if (error.errorCode === 0) return networkFailure(text(error.networkCode) || "network");
    const after = error.retryAfterMs;
    const failure = classifyRefusal({ status: error.errorCode, description: text(error.description), retryAfterMs: typeof after === "number" ? after : undefined }, GONE);
    // An answer we could not read (HTTP 200 with a broken body) may still mean "sent".
    return failure.kind === "transient" && error.unreadable === true ? { ...failure, kind: "unknown" } : failure;
  }
  // An axios error with an answer: { response: { status, data: { description, parameters } } }.
  if (isRecord(error.response) && typeof error.response.status === "number") {
    const data = isRecord(error.response.data) ? error.response.data : {};
    const after = isRecord(data.parameters) ? data.parameters.retry_after : undefined;
    return classifyRefusal({ status: error.response.status, description: text(data.description), retryAfterMs: typeof after === "number" ? after * 1000 : undefined }, GONE);
  }
  return classifyThrown(error);
}
