/** The web channel's pure parts: frames, limits, origins, cookie attributes, languages. */
import { describe, expect, it } from "vitest";
import { OriginPolicy } from "../../../src/channels/web/origins.js";
import { parseClientFrame } from "../../../src/channels/web/protocol.js";
import { RateBuckets } from "../../../src/channels/web/rate-buckets.js";
import { isLocalDev, isVisitorId, newVisitorId, visitorCookieOptions } from "../../../src/channels/web/visitor-cookie.js";
import { firstLanguage } from "../../../src/channels/web/web-channel.js";

describe("web chat parts", () => {
  it("parses only the known frames, strictly", () => {
    expect(parseClientFrame(JSON.stringify({ t: "text", id: "abcdefgh", text: "xin chào" }))).toEqual({ t: "text", id: "abcdefgh", text: "xin chào" });
    expect(parseClientFrame(JSON.stringify({ t: "choice", id: "abcdefgh", choiceId: "k1.yes", label: "Có" }))?.t).toBe("choice");
    expect(parseClientFrame(JSON.stringify({ t: "locale", locale: "en" }))).toEqual({ t: "locale", locale: "en" });
    for (const bad of ["", "null", "[]", "{", JSON.stringify({ t: "text", id: "abcdefgh", text: "x", extra: 1 }), JSON.stringify({ t: "locale", locale: "fr" }), JSON.stringify({ t: "text", id: "../../etc", text: "x" }), JSON.stringify({ t: "text", id: "abcdefgh", text: "x".repeat(2_001) }), JSON.stringify({ t: "choice", id: "abcdefgh", choiceId: "x".repeat(33) })]) {
      expect(parseClientFrame(bad)).toBeUndefined();
    }
  });

  it("token buckets: a burst, then the sustained rate, per key", () => {
    let now = 0;
    const buckets = new RateBuckets({ perMinute: 60, burst: 3, now: () => now });
    expect([1, 2, 3, 4].map(() => buckets.take("a"))).toEqual([true, true, true, false]);
    expect(buckets.take("b")).toBe(true);
    now += 1_000;
    expect(buckets.take("a")).toBe(true);
    expect(buckets.take("a")).toBe(false);
  });

  it("origins: the bot's own page and the configured sites; CSP frames only those", () => {
    const policy = new OriginPolicy(["https://sokhcn.khanhhoa.gov.vn/"]);
    const own = "https://bot.example.gov.vn";
    expect(policy.socketAllowed(own, own)).toBe(true);
    // Behind a TLS proxy the bot sees http, the page says https: still its own page.
    expect(policy.socketAllowed(own, "http://bot.example.gov.vn")).toBe(true);
    expect(policy.socketAllowed("https://bot.example.gov.vn.evil.example", "http://bot.example.gov.vn")).toBe(false);
    expect(policy.socketAllowed("https://sokhcn.khanhhoa.gov.vn", own)).toBe(true);
    expect(policy.socketAllowed("https://evil.example", own)).toBe(false);
    expect(policy.socketAllowed("null", own)).toBe(false);
    expect(policy.embeds("https://sokhcn.khanhhoa.gov.vn")).toBe(true);
    expect(policy.embeds(own)).toBe(false);
    expect(policy.pageCsp()).toContain("frame-ancestors 'self' https://sokhcn.khanhhoa.gov.vn");
    expect(policy.pageCsp()).toContain("script-src 'self'");
  });

  it("cookies are Secure, SameSite=None and Partitioned except on a developer's http://localhost", () => {
    expect(isLocalDev("http", "localhost", false)).toBe(true);
    expect(isLocalDev("http", "localhost", true)).toBe(false);
    expect(isLocalDev("https", "localhost", false)).toBe(false);
    expect(isLocalDev("http", "bot.example.gov.vn", false)).toBe(false);
    expect(visitorCookieOptions(false)).toMatchObject({ httpOnly: true, secure: true, sameSite: "none", partitioned: true, signed: true });
    expect(visitorCookieOptions(true)).toMatchObject({ httpOnly: true, secure: false, sameSite: "lax", signed: true });
    const id = newVisitorId();
    expect(isVisitorId(id)).toBe(true);
    expect(isVisitorId(`${id}.x`)).toBe(false);
  });

  it("reads the language from Accept-Language", () => {
    expect(firstLanguage("en-GB,en;q=0.9,vi;q=0.8")).toBe("en");
    expect(firstLanguage("fr-FR,vi;q=0.5")).toBe("vi");
    expect(firstLanguage("fr-FR")).toBeUndefined();
    expect(firstLanguage(undefined)).toBeUndefined();
  });
});
