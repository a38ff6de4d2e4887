import { describe, expect, it } from "vitest";
import { looksLikeTaxCode, parseTaxCode, taxCodeCheckDigit } from "../../src/domain/tax-code.js";

describe("parseTaxCode", () => {
  it("accepts the shared doc's valid examples", () => {
    expect(parseTaxCode("0100109106")).toEqual({ ok: true, value: "0100109106" });
    expect(parseTaxCode("0300588569")).toEqual({ ok: true, value: "0300588569" });
  });

  it("computes the doc's worked check digit (sum 114 → 6)", () => {
    expect(taxCodeCheckDigit("010010910")).toBe(6);
  });

  it("rejects a wrong check digit with the check-digit reason", () => {
    expect(parseTaxCode("0100109107")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.check_digit" });
  });

  it("rejects codes whose rule yields 10 for every last digit", () => {
    // 9 zeros: sum 0, 0 mod 11 = 0, 10 - 0 = 10: no digit can be right.
    for (let d = 0; d <= 9; d++) expect(parseTaxCode(`000000000${d}`).ok).toBe(false);
  });

  it("accepts 13-digit branch codes and stores NNNNNNNNNN-NNN", () => {
    expect(parseTaxCode("0100109106-001")).toEqual({ ok: true, value: "0100109106-001" });
    expect(parseTaxCode("0100109106001")).toEqual({ ok: true, value: "0100109106-001" });
    expect(parseTaxCode("0300588569-123")).toEqual({ ok: true, value: "0300588569-123" });
  });

  it("rejects the -000 branch suffix", () => {
    expect(parseTaxCode("0100109106-000")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.branch_suffix" });
  });

  it("checks the first ten digits of a branch code too", () => {
    expect(parseTaxCode("0100109107-001")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.check_digit" });
  });

  it("accepts spaces, dots and dashes people type", () => {
    for (const typed of ["0100 109 106", "01.00.10.91.06", "0100-109-106", " 0100109106 ", "0 1 0 0 1 0 9 1 0 6"]) {
      expect(parseTaxCode(typed)).toEqual({ ok: true, value: "0100109106" });
    }
    expect(parseTaxCode("0100.109.106 - 001")).toEqual({ ok: true, value: "0100109106-001" });
    // Full-width digits from some phone keyboards.
    expect(parseTaxCode("０１００１０９１０６")).toEqual({ ok: true, value: "0100109106" });
  });

  it("says how many digits were typed when the length is wrong", () => {
    expect(parseTaxCode("010010910")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.length", params: { count: 9 } });
    expect(parseTaxCode("01001091060")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.length", params: { count: 11 } });
    expect(parseTaxCode("01001091060011")).toMatchObject({ ok: false, reason: "enterprise:errors.tax_code.length" });
  });

  it("rejects letters and empty input with their own reasons", () => {
    expect(parseTaxCode("01001O9106")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.not_digits" });
    expect(parseTaxCode("MST 0100109106")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.not_digits" });
    expect(parseTaxCode("   ")).toEqual({ ok: false, reason: "enterprise:errors.tax_code.empty" });
  });

  it("does not reject a code for its province", () => {
    // 42 = Khánh Hòa; 79 = Hồ Chí Minh City; both are stored as typed.
    const forPrefix = (prefix: string) => {
      const nine = `${prefix}0000001`;
      return `${nine}${taxCodeCheckDigit(nine) ?? "x"}`;
    };
    expect(parseTaxCode(forPrefix("42")).ok).toBe(true);
    expect(parseTaxCode(forPrefix("79")).ok).toBe(true);
  });
});

describe("looksLikeTaxCode", () => {
  it("tells digit strings from names", () => {
    expect(looksLikeTaxCode("0100 109 106")).toBe(true);
    expect(looksLikeTaxCode("Công ty ABC")).toBe(false);
    expect(looksLikeTaxCode("123")).toBe(false);
  });
});
