import { describe, expect, it } from "vitest";
import { cloneSession, localeFromHint, newSession, parseSession, sessionSchema } from "../../src/engine/session.js";

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
    expect(Object.keys(sessionSchema.shape).sort()).toEqual(["createdAt", "data", "dynamic", "failures", "flow", "history", "locale", "pending", "step", "trail", "updatedAt", "vars", "version"]);
  });

  it("localeFromHint reads language prefixes", () => {
    expect(localeFromHint("vi", "en")).toBe("vi");
    expect(localeFromHint("vi-VN", "en")).toBe("vi");
    expect(localeFromHint("EN_us", "vi")).toBe("en");
    expect(localeFromHint("de", "vi")).toBe("vi");
    expect(localeFromHint(undefined, "en")).toBe("en");
  });
});

describe("cloneSession", () => {
  it("copies deeply: changing the copy leaves the original as it was, Dates included", () => {
    const when = new Date("2026-12-01T02:00:00Z");
    const original = {
      ...newSession("vi", new Date("2026-11-25T00:00:00Z")),
      data: { interests: ["training"], nested: { a: 1 } },
      history: [{ flow: "main", step: "menu" }],
      dynamic: [{ id: "c1", label: { key: "courses:label", params: { start: when } } }],
    };
    const copy = cloneSession(original);
    expect(copy).toEqual(original);
    (copy.data.interests as string[]).push("policy");
    (copy.data.nested as { a: number }).a = 2;
    copy.history[0]!.step = "other";
    const start = copy.dynamic![0]!.label.params!.start as Date;
    start.setUTCFullYear(2030);
    expect(original.data).toEqual({ interests: ["training"], nested: { a: 1 } });
    expect(original.history[0]!.step).toBe("menu");
    expect(when.getUTCFullYear()).toBe(2026);
    expect(start).not.toBe(when);
  });

  it("keeps a '__proto__' key from stored JSON as data, never as the prototype", () => {
    const stored = { ...newSession("en", new Date()), data: JSON.parse('{"__proto__": {"isStaff": true}}') as Record<string, unknown> };
    const copy = cloneSession(stored);
    expect(Object.getPrototypeOf(copy.data)).toBe(Object.prototype);
    expect((copy.data as { isStaff?: unknown }).isStaff).toBeUndefined();
    expect(Object.keys(copy.data)).toEqual(["__proto__"]);
  });
});
