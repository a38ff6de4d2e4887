import { describe, expect, it } from "vitest";
import { formatVnMobile, parseVnMobile } from "../../src/domain/phone.js";

describe("parseVnMobile", () => {
  it("stores every typed form of one number as E.164", () => {
    for (const typed of ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "+84 912 345 678", "84912345678", "+84 0912 345 678", "(091) 234-5678"]) {
      expect(parseVnMobile(typed)).toEqual({ ok: true, value: "+84912345678" });
    }
  });

  it("accepts each mobile prefix 03, 05, 07, 08, 09", () => {
    for (const p of ["3", "5", "7", "8", "9"]) expect(parseVnMobile(`0${p}12345678`)).toEqual({ ok: true, value: `+84${p}12345678` });
  });

  it("rejects landlines and unknown prefixes", () => {
    expect(parseVnMobile("0258 3822 111")).toEqual({ ok: false, reason: "enterprise:errors.phone.prefix" });
    expect(parseVnMobile("0112345678")).toEqual({ ok: false, reason: "enterprise:errors.phone.prefix" });
    expect(parseVnMobile("912345678")).toEqual({ ok: false, reason: "enterprise:errors.phone.prefix" });
  });

  it("rejects wrong lengths", () => {
    expect(parseVnMobile("091234567")).toEqual({ ok: false, reason: "enterprise:errors.phone.length" });
    expect(parseVnMobile("09123456789")).toEqual({ ok: false, reason: "enterprise:errors.phone.length" });
    expect(parseVnMobile("+8491234567")).toEqual({ ok: false, reason: "enterprise:errors.phone.length" });
  });

  it("rejects other countries, letters and empty input", () => {
    expect(parseVnMobile("+1 202 555 0100")).toEqual({ ok: false, reason: "enterprise:errors.phone.country" });
    expect(parseVnMobile("09l2345678")).toEqual({ ok: false, reason: "enterprise:errors.phone.not_digits" });
    expect(parseVnMobile("")).toEqual({ ok: false, reason: "enterprise:errors.phone.empty" });
  });
});

describe("formatVnMobile", () => {
  it("shows the national form", () => {
    expect(formatVnMobile("+84912345678")).toBe("0912 345 678");
  });
});
