/**
 * Vietnamese tax codes (mã số thuế, MST): 10 digits whose last is a check digit, or 13 digits
 * `NNNNNNNNNN-NNN` for a dependent unit (branch). See shared docs/domain.md.
 */
import type { ValidationResult } from "../engine/validation.js";

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/** The check digit for the first nine digits, or null when the rule yields 10 (such codes are never issued). */
export function taxCodeCheckDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * WEIGHTS[i]!;
  const digit = 10 - (sum % 11);
  return digit === 10 ? null : digit;
}

/**
 * Turns a typed tax code into its canonical form (`0100109106` or `0100109106-001`).
 * People type spaces, dots and dashes; each failure has its own reason so the user learns what to fix.
 */
export function parseTaxCode(input: string): ValidationResult<string> {
  const compact = input.normalize("NFKC").trim().replace(/[\s.\-–—_]/g, "");
  if (compact === "") return { ok: false, reason: "enterprise:errors.tax_code.empty" };
  if (!/^\d+$/.test(compact)) return { ok: false, reason: "enterprise:errors.tax_code.not_digits" };
  if (compact.length !== 10 && compact.length !== 13) {
    return { ok: false, reason: "enterprise:errors.tax_code.length", params: { count: compact.length } };
  }
  const main = compact.slice(0, 10);
  if (taxCodeCheckDigit(main.slice(0, 9)) !== Number(main[9])) {
    return { ok: false, reason: "enterprise:errors.tax_code.check_digit" };
  }
  if (compact.length === 10) return { ok: true, value: main };
  const suffix = compact.slice(10);
  if (suffix === "000") return { ok: false, reason: "enterprise:errors.tax_code.branch_suffix" };
  return { ok: true, value: `${main}-${suffix}` };
}

/** True when the text looks like an attempt at a tax code (only digits and separators, at least 8 digits). */
export function looksLikeTaxCode(input: string): boolean {
  const compact = input.trim().replace(/[\s.\-–—_]/g, "");
  return /^\d{8,}$/.test(compact);
}
