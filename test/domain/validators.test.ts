import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEmail } from "../../src/domain/email.js";
import { isSkipAnswer, parseText, PERSON_NAME_RULE, TEXT_RULES } from "../../src/domain/text.js";
import { enterpriseRefFromAnswer } from "../../src/domain/registration.js";
import { validators } from "../../src/domain/validators/index.js";

const ctx = { locale: "vi" as const, now: new Date("2026-01-01T00:00:00Z"), timeZone: "Asia/Ho_Chi_Minh" };
const root = join(import.meta.dirname, "../..");

function loadLocale(locale: string, ns: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, "locales", locale, `${ns}.json`), "utf8")) as Record<string, unknown>;
}

function hasKey(locale: string, fullKey: string): boolean {
  const [ns, path] = fullKey.split(":") as [string, string];
  let node: unknown = loadLocale(locale, ns);
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" && node.length > 0;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("error keys", () => {
  const suffixes = ["empty", "too_short", "too_long", "control", "no_letter", "digits"];
  const textKeys = TEXT_RULES.flatMap((r) => suffixes.map((s) => `${r.reasonPrefix}.${s}`));
  const literalKeys = sourceFiles(join(root, "src/domain")).flatMap((f) =>
    [...readFileSync(f, "utf8").matchAll(/"((?:enterprise|courses|privacy):errors\.[a-z_.]+[a-z_])"/g)].map((m) => m[1]!),
  ).filter((k) => !TEXT_RULES.some((r) => r.reasonPrefix === k));

  it("finds the reasons the domain code can return", () => {
    expect(literalKeys).toContain("enterprise:errors.tax_code.check_digit");
    expect(literalKeys).toContain("enterprise:errors.phone.prefix");
    expect(literalKeys).toContain("enterprise:errors.email.format");
  });

  it.each(["vi", "en"])("every field's error key exists in %s", (locale) => {
    const missing = [...new Set([...textKeys, ...literalKeys])].filter((k) => !hasKey(locale, k));
    expect(missing).toEqual([]);
  });

  it("every reason a validator returns for bad input exists in both locales", () => {
    const bad = ["", "   ", "\u0007x", "1", "x".repeat(1001), "0100109107", "0100109106-000", "abc@", "a b@c.d", "12345", "+1 555"];
    for (const [name, validate] of Object.entries(validators)) {
      for (const input of bad) {
        const result = validate(input, ctx);
        if (!result.ok) {
          expect(hasKey("vi", result.reason), `${name}(${JSON.stringify(input)}) → ${result.reason}`).toBe(true);
          expect(hasKey("en", result.reason), `${name}(${JSON.stringify(input)}) → ${result.reason}`).toBe(true);
        }
      }
    }
  });
});

describe("text answers", () => {
  it("trims, collapses spaces and NFC-normalises names", () => {
    // "Nguyễn" typed with combining marks (NFD) is stored precomposed.
    const nfd = "  Nguyễn   Văn  An ".normalize("NFD");
    expect(parseText(nfd, PERSON_NAME_RULE)).toEqual({ ok: true, value: "Nguyễn Văn An" });
  });

  it("rejects control characters, digits, too short and too long names", () => {
    expect(parseText("An\u0000", PERSON_NAME_RULE)).toMatchObject({ reason: "enterprise:errors.person_name.control" });
    expect(parseText("An\u202e", PERSON_NAME_RULE)).toMatchObject({ reason: "enterprise:errors.person_name.control" });
    expect(parseText("Nguyễn Văn 2", PERSON_NAME_RULE)).toMatchObject({ reason: "enterprise:errors.person_name.digits" });
    expect(parseText("A", PERSON_NAME_RULE)).toMatchObject({ reason: "enterprise:errors.person_name.too_short", params: { min: 2 } });
    expect(parseText("A".repeat(101), PERSON_NAME_RULE)).toMatchObject({ reason: "enterprise:errors.person_name.too_long", params: { max: 100 } });
    expect(parseText("...", PERSON_NAME_RULE)).toMatchObject({ reason: "enterprise:errors.person_name.no_letter" });
  });

  it("recognises skip words for optional questions", () => {
    for (const w of ["-", "bỏ qua", "Bo qua", "không", "skip", "No."]) expect(isSkipAnswer(w)).toBe(true);
    expect(isSkipAnswer("an@x.vn")).toBe(false);
  });
});

describe("email", () => {
  it("accepts and lower-cases addresses", () => {
    expect(parseEmail(" An.Nguyen@CongTy.vn ")).toEqual({ ok: true, value: "an.nguyen@congty.vn" });
  });
  it("gives a specific reason", () => {
    expect(parseEmail("an nguyen@x.vn")).toMatchObject({ reason: "enterprise:errors.email.spaces" });
    expect(parseEmail("an.x.vn")).toMatchObject({ reason: "enterprise:errors.email.at_sign" });
    expect(parseEmail("a@b@c.vn")).toMatchObject({ reason: "enterprise:errors.email.at_sign" });
    expect(parseEmail("an@localhost")).toMatchObject({ reason: "enterprise:errors.email.format" });
    expect(parseEmail("an..b@x.vn")).toMatchObject({ reason: "enterprise:errors.email.format" });
  });
  it("is optional where the flow says so", () => {
    expect(validators.email_optional!("bỏ qua", ctx)).toEqual({ ok: true, value: null });
    expect(validators.email_optional!("an@x.vn", ctx)).toEqual({ ok: true, value: "an@x.vn" });
  });
});

describe("enterprise_ref", () => {
  it("reads digits as a tax code and words as a name", () => {
    expect(validators.enterprise_ref!("0100.109.106", ctx)).toEqual({ ok: true, value: "0100109106" });
    expect(validators.enterprise_ref!("Công ty TNHH Biển Xanh", ctx)).toEqual({ ok: true, value: "Công ty TNHH Biển Xanh" });
    expect(enterpriseRefFromAnswer("0100109106")).toEqual({ kind: "tax_code", taxCode: "0100109106" });
    expect(enterpriseRefFromAnswer("0100109106-001")).toEqual({ kind: "tax_code", taxCode: "0100109106-001" });
    expect(enterpriseRefFromAnswer("Công ty 2")).toEqual({ kind: "name", name: "Công ty 2" });
    expect(enterpriseRefFromAnswer(undefined)).toBeNull();
    expect(validators.enterprise_ref!("0100109107", ctx)).toMatchObject({ ok: false, reason: "enterprise:errors.tax_code.check_digit" });
  });
});
