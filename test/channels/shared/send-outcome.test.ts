import { TelegramError } from "telegraf";
import { describe, expect, it } from "vitest";
import { withRetry } from "../../../src/channels/shared/retry.js";
import { classifyTelegramError } from "../../../src/channels/telegram/classify-telegram-error.js";
import { classifyZaloError } from "../../../src/channels/zalo/classify-zalo-error.js";
import { ZaloApiError } from "../../../src/channels/zalo/zalo-api-error.js";

const sysError = (code: string) => Object.assign(new Error(`request failed: ${code}`), { code, type: "system" });

describe("send outcomes: not delivered vs unknown", () => {
  it("Telegram: a connection never made or a 4xx is not delivered; reset, timeout and 5xx are unknown", () => {
    expect(classifyTelegramError(sysError("ECONNREFUSED"))).toMatchObject({ kind: "transient" });
    expect(classifyTelegramError(sysError("ENOTFOUND"))).toMatchObject({ kind: "transient" });
    expect(classifyTelegramError(sysError("ECONNRESET"))).toMatchObject({ kind: "unknown", code: "ECONNRESET" });
    expect(classifyTelegramError(Object.assign(new Error("aborted"), { name: "AbortError" }))).toMatchObject({ kind: "unknown", code: "timeout" });
    expect(classifyTelegramError(new TelegramError({ error_code: 502, description: "Bad Gateway" }))).toMatchObject({ kind: "unknown" });
    expect(classifyTelegramError(new TelegramError({ error_code: 400, description: "Bad Request: message is too long" }))).toMatchObject({ kind: "transient" });
    expect(classifyTelegramError(new TelegramError({ error_code: 429, description: "Too Many", parameters: { retry_after: 15 } }))).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 15_000 });
  });

  it("Zalo: the same rule, and an unreadable answer is unknown", () => {
    expect(classifyZaloError(new ZaloApiError("sendMessage", 0, "network", undefined, "ECONNREFUSED"))).toMatchObject({ kind: "transient" });
    expect(classifyZaloError(new ZaloApiError("sendMessage", 0, "network", undefined, "ECONNRESET"))).toMatchObject({ kind: "unknown" });
    expect(classifyZaloError(new ZaloApiError("sendMessage", 0, "network", undefined, "ECONNABORTED"))).toMatchObject({ kind: "unknown" });
    expect(classifyZaloError(new ZaloApiError("sendMessage", 500, "boom"))).toMatchObject({ kind: "unknown" });
    expect(classifyZaloError(new ZaloApiError("sendMessage", 200, "garbled", undefined, undefined, true))).toMatchObject({ kind: "unknown" });
    expect(classifyZaloError(new ZaloApiError("sendMessage", 400, "text too long"))).toMatchObject({ kind: "transient" });
  });

  it("withRetry never retries an unknown outcome", async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        throw sysError("ECONNRESET");
      },
      { attempts: 5, baseMs: 1, capMs: 2, maxWaitMs: 100, classify: classifyTelegramError },
    );
    expect(result).toMatchObject({ kind: "unknown" });
    expect(calls).toBe(1);
  });
});
