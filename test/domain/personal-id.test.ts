import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { maskTaxId, parsePersonalId, taxIdKindOf } from "../../src/domain/personal-id.js";
import { maskPhone } from "../../src/domain/phone.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { dataKey as k } from "../../src/engine/msg-ref.js";

describe("12-digit personal ID (individuals, household businesses)", () => {
  it("accepts 12 digits typed with spaces or dots, with a province code 001..096", () => {
    expect(parsePersonalId("056 123.451-234")).toEqual({ ok: true, value: "056123451234" });
    expect(parsePersonalId("001000000000")).toEqual({ ok: true, value: "001000000000" });
    expect(parsePersonalId("096999999999")).toEqual({ ok: true, value: "096999999999" });
  });
  it("refuses with a reason each: empty, letters, length, province", () => {
    expect(parsePersonalId(" ")).toMatchObject({ ok: false, reason: "enterprise:errors.personal_id.empty" });
    expect(parsePersonalId("05612345123a")).toMatchObject({ ok: false, reason: "enterprise:errors.personal_id.not_digits" });
    expect(parsePersonalId("0561234512345")).toMatchObject({ ok: false, reason: "enterprise:errors.personal_id.length", params: { count: 13 } });
    expect(parsePersonalId("000123451234")).toMatchObject({ ok: false, reason: "enterprise:errors.personal_id.province" });
    expect(parsePersonalId("097123451234")).toMatchObject({ ok: false, reason: "enterprise:errors.personal_id.province" });
  });
  it("is masked when shown; enterprise tax codes are not", () => {
    expect(maskTaxId("056123451234")).toBe("056*****1234");
    expect(maskTaxId("0100109106")).toBe("0100109106");
    expect(maskTaxId("0100109106-001")).toBe("0100109106-001");
    expect(taxIdKindOf("056123451234")).toBe("personal_id");
    expect(taxIdKindOf("0100109106")).toBe("tax_code");
    expect(taxIdKindOf("none:0123456789abcdef01234567")).toBe("none");
    expect(maskPhone("+84912345678")).toBe("0912 *** 678");
  });
});

describe("content required by the 2025 reforms (issue #12 item 7)", () => {
  const renderer = createRenderer({ localesDir: join(resolve(import.meta.dirname, "..", ".."), "locales"), timeZone: "Asia/Ho_Chi_Minh" });
  it("asks the address as house number, street, commune/ward, never a district", () => {
    expect(renderer.render({ key: "enterprise:ask.address" }, "vi")).toContain("số nhà, đường, xã/phường");
    expect(renderer.render({ key: "enterprise:ask.address" }, "vi")).not.toMatch(/huyện|quận/);
    expect(renderer.render({ key: "enterprise:ask.address" }, "en")).not.toContain("district");
  });
  it.each(["micro", "small", "medium", "large"])("the eligibility answer for %s says the plan is silent on size, and invents no rule", (size) => {
    const vi = renderer.render({ key: k(`policies:eligibility.result.size.${size}`) }, "vi");
    const en = renderer.render({ key: k(`policies:eligibility.result.size.${size}`) }, "en");
    expect(vi).toContain("kế hoạch không nói gì");
    expect(vi).not.toContain("không đặt điều kiện");
    expect(en).not.toContain("no size requirement");
    expect(en).toContain("says nothing");
  });
  it("cites the current personal-data law, not Decree 13/2023", () => {
    for (const key of ["enterprise:consent.notice", "courses:consent.notice", "privacy:help"] as const) {
      for (const locale of ["vi", "en"] as const) {
        const text = renderer.render({ key, params: { months: 12, days: 30 } }, locale);
        expect(text).toContain("91/2025/QH15");
        expect(text).toContain("356/2025/NĐ-CP");
        expect(text).not.toContain("13/2023");
      }
    }
  });
});
