import { describe, expect, it } from "vitest";
import { errorMessage, isRecord } from "../../src/shared/guards.js";
import { isLocale } from "../../src/engine/messages.js";

describe("type guards", () => {
  it("isRecord accepts objects and arrays, refuses null and primitives", () => {
    expect(isRecord({ a: 1 })).toBe(true);
    expect(isRecord([])).toBe(true);
    for (const v of [null, undefined, 0, "x", true]) expect(isRecord(v)).toBe(false);
  });

  it("errorMessage reads an Error's message and stringifies anything else", () => {
    expect(errorMessage(new Error("bad line 3"))).toBe("bad line 3");
    expect(errorMessage("plain")).toBe("plain");
    expect(errorMessage(undefined)).toBe("undefined");
  });

  it("isLocale accepts exactly the bot's languages", () => {
    expect(isLocale("vi")).toBe(true);
    expect(isLocale("en")).toBe(true);
    for (const v of ["VI", "fr", "", null, 1]) expect(isLocale(v)).toBe(false);
  });
});
