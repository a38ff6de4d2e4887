import { TelegramError } from "telegraf";
import { describe, expect, it } from "vitest";
import { withRetry } from "../../../src/channels/shared/retry.js";
import { classifyTelegramError } from "../../../src/channels/telegram/classify-telegram-error.js";
import { classifyZaloError } from "../../../src/channels/zalo/classify-zalo-error.js";
import { ZaloApiError } from "../../../src/channels/zalo/zalo-api-error.js";
import { channelDefinitions } from "../../../src/channels/registry.js";
import { telegram } from "../../../src/channels/telegram/index.js";
import { zalo } from "../../../src/channels/zalo/index.js";

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

  it("Telegram's classifier reads the error's shape (plain objects shaped like telegraf's TelegramError)", () => {
    const telegramError = (response: Record<string, unknown>) => Object.assign(new Error("telegram"), { response });
    expect(classifyTelegramError(telegramError({ error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }))).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 7_000 });
    expect(classifyTelegramError({ response: { error_code: 429, description: "Too Many Requests" } })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 1_000 });
    expect(classifyTelegramError({ response: { error_code: 403, description: "Forbidden: bot was blocked by the user" } })).toEqual({ ok: false, kind: "unreachable", code: "403" });
    expect(classifyTelegramError({ response: { error_code: 400, description: "Bad Request: chat not found" } })).toEqual({ ok: false, kind: "unreachable", code: "400" });
    expect(classifyTelegramError({ response: { error_code: 400, description: "Bad Request: message text is empty" } })).toEqual({ ok: false, kind: "transient", code: "400" });
    expect(classifyTelegramError({ response: { error_code: 500, description: "Internal Server Error" } })).toEqual({ ok: false, kind: "unknown", code: "500" });
    // An answer without a number is not an API refusal: read as a network failure.
    expect(classifyTelegramError({ response: { error_code: "429" }, code: "ECONNREFUSED" })).toEqual({ ok: false, kind: "transient", code: "ECONNREFUSED" });
    expect(classifyTelegramError({ code: "ETIMEDOUT" })).toEqual({ ok: false, kind: "unknown", code: "ETIMEDOUT" });
    expect(classifyTelegramError("boom")).toEqual({ ok: false, kind: "unknown", code: "network" });
    expect(classifyTelegramError(undefined)).toEqual({ ok: false, kind: "unknown", code: "network" });
  });

  it("Zalo's classifier reads the error's shape (ZaloApiError-shaped and axios-shaped plain objects)", () => {
    expect(classifyZaloError({ errorCode: 429, description: "Too many", retryAfterMs: 3_000 })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 3_000 });
    expect(classifyZaloError({ errorCode: 429, description: "Too many" })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 1_000 });
    expect(classifyZaloError({ errorCode: 403, description: "Forbidden" })).toEqual({ ok: false, kind: "unreachable", code: "403" });
    expect(classifyZaloError({ errorCode: 400, description: "user not found" })).toEqual({ ok: false, kind: "unreachable", code: "400" });
    expect(classifyZaloError({ errorCode: 0, description: "network error", networkCode: "EHOSTUNREACH" })).toEqual({ ok: false, kind: "transient", code: "EHOSTUNREACH" });
    expect(classifyZaloError({ errorCode: 0, description: "network error" })).toEqual({ ok: false, kind: "unknown", code: "network" });
    // A 4xx whose answer could not be read may still have been acted on; a readable 4xx was not.
    expect(classifyZaloError({ errorCode: 404, description: "unexpected", unreadable: true })).toEqual({ ok: false, kind: "unknown", code: "404" });
    expect(classifyZaloError({ errorCode: 404, description: "not a method" })).toEqual({ ok: false, kind: "transient", code: "404" });
    // axios: an HTTP answer in `response`, or only a system code when none came.
    expect(classifyZaloError({ isAxiosError: true, response: { status: 429, data: { ok: false, parameters: { retry_after: 2 } } } })).toEqual({ ok: false, kind: "rate_limited", retryAfterMs: 2_000 });
    expect(classifyZaloError({ isAxiosError: true, response: { status: 400, data: { description: "chat not exist" } } })).toEqual({ ok: false, kind: "unreachable", code: "400" });
    expect(classifyZaloError({ isAxiosError: true, response: { status: 502, data: "<html>" } })).toEqual({ ok: false, kind: "unknown", code: "502" });
    expect(classifyZaloError({ isAxiosError: true, code: "ECONNREFUSED" })).toEqual({ ok: false, kind: "transient", code: "ECONNREFUSED" });
    expect(classifyZaloError({ isAxiosError: true, code: "ECONNABORTED" })).toEqual({ ok: false, kind: "unknown", code: "ECONNABORTED" });
    expect(classifyZaloError(null)).toEqual({ ok: false, kind: "unknown", code: "network" });
  });

  it("each channel's definition holds its classifier", () => {
    expect(telegram.classifyError).toBe(classifyTelegramError);
    expect(zalo.classifyError).toBe(classifyZaloError);
    for (const definition of channelDefinitions) expect(definition.classifyError({ code: "ECONNREFUSED" })).toMatchObject({ kind: "transient" });
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
