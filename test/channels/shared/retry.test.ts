import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../../src/channels/shared/backoff.js";
import { RecentIds } from "../../../src/channels/shared/recent-ids.js";
import { withRetry, type SendFailure } from "../../../src/channels/shared/retry.js";

const fast = { attempts: 3, baseMs: 1, capMs: 2, maxWaitMs: 100 };

describe("withRetry", () => {
  it("retries transient failures and returns the value", async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw new Error("flaky");
        return "ok";
      },
      { ...fast, classify: (): SendFailure => ({ ok: false, kind: "transient", code: "network" }) },
    );
    expect(result).toEqual({ ok: true, value: "ok" });
    expect(calls).toBe(3);
  });

  it("never retries an unreachable recipient", async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        throw new Error("blocked");
      },
      { ...fast, classify: (): SendFailure => ({ ok: false, kind: "unreachable", code: "403" }) },
    );
    expect(result).toEqual({ ok: false, kind: "unreachable", code: "403" });
    expect(calls).toBe(1);
  });

  it("returns a rate limit that asks for a longer wait than allowed, without waiting", async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        throw new Error("429");
      },
      { ...fast, classify: (): SendFailure => ({ ok: false, kind: "rate_limited", retryAfterMs: 60_000 }) },
    );
    expect(result).toMatchObject({ kind: "rate_limited", retryAfterMs: 60_000 });
    expect(calls).toBe(1);
  });
});

describe("backoffDelay", () => {
  it("doubles from the base and stays under the cap", () => {
    const mid = () => 0.5;
    expect(backoffDelay(1, { baseMs: 100, capMs: 1000, random: mid })).toBe(100);
    expect(backoffDelay(3, { baseMs: 100, capMs: 1000, random: mid })).toBe(400);
    expect(backoffDelay(20, { baseMs: 100, capMs: 1000, random: () => 0.999 })).toBe(1000);
  });
});

describe("RecentIds", () => {
  it("detects duplicates and forgets the oldest beyond capacity", () => {
    const ids = new RecentIds(2);
    expect(ids.add("1")).toBe(true);
    expect(ids.add("1")).toBe(false);
    ids.add("2");
    ids.add("3");
    expect(ids.has("1")).toBe(false);
    expect(ids.has("3")).toBe(true);
  });
});
