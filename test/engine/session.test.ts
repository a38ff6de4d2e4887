import { describe, expect, it } from "vitest";
import { localeFromHint, newSession, parseSession, sessionSchema } from "../../src/engine/session.js";

describe("session", () => {
  const now = new Date("2026-11-25T07:00:00Z");

  it("a new session is idle, version 1, and survives a JSON round trip", () => {
    const s = newSession("en", now);
    expect(s).toMatchObject({ version: 1, locale: "en", flow: null, step: null, data: {}, vars: {}, failures: 0, history: [] });
    expect(parseSession(JSON.parse(JSON.stringify(s)))).toEqual({ status: "ok", session: s });
  });

  it("dates in dynamic choice labels come back as Dates after a JSON round trip", () => {
    const start = new Date("2026-12-01T02:00:00.000Z");
    const s = { ...newSession("vi", now), dynamic: [{ id: "c1", label: { key: "courses:item", params: { start, title: "An toàn", seats: 3 } } }] };
    const back = parseSession(JSON.parse(JSON.stringify(s)));
    expect(back.status === "ok" && back.session.dynamic?.[0]?.label.params).toEqual({ start, title: "An toàn", seats: 3 });
  });

  it("missing is not an error", () => {
    expect(parseSession(null)).toEqual({ status: "missing" });
    expect(parseSession(undefined)).toEqual({ status: "missing" });
  });

  it("an old version or a corrupted session restarts, keeping a readable locale", () => {
    expect(parseSession({ ...newSession("en", now), version: 0 })).toEqual({ status: "reset", locale: "en" });
    expect(parseSession({ locale: "fr", step: 3 })).toEqual({ status: "reset" });
    expect(parseSession("garbage")).toEqual({ status: "reset" });
    expect(parseSession({ ...newSession("vi", now), data: null })).toEqual({ status: "reset", locale: "vi" });
  });

  it("the schema is the single source of the session's shape", () => {
    expect(Object.keys(sessionSchema.shape).sort()).toEqual(["createdAt", "data", "dynamic", "failures", "flow", "history", "locale", "step", "updatedAt", "vars", "version"]);
  });

  it("localeFromHint reads language prefixes", () => {
    expect(localeFromHint("vi", "en")).toBe("vi");
    expect(localeFromHint("vi-VN", "en")).toBe("vi");
    expect(localeFromHint("EN_us", "vi")).toBe("en");
    expect(localeFromHint("de", "vi")).toBe("vi");
    expect(localeFromHint(undefined, "en")).toBe("en");
  });
});
