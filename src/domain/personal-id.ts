/**
 * The 12-digit personal identification number (số định danh cá nhân) that individuals and
 * household businesses use as tax code since 1 July 2025 (domain.md). No check digit; the
 * first three digits are the province code of birth registration (001–096). Personal data:
 * shown back only masked, never logged.
 */
import type { ValidationResult } from "../engine/validation.js";

/** What identifies an enterprise: a tax code, a personal ID, or nothing yet (`none:<id>`). */
export type TaxIdKind = "tax_code" | "personal_id" | "none";

/** The key prefix of an enterprise registered without a tax code yet. */
export const NO_TAX_ID_PREFIX = "none:";

/** Turns typed text (spaces, dots, dashes allowed) into the 12 digits, with a reason per failure. */
export function parsePersonalId(input: string): ValidationResult<string> {
  const compact = input.normalize("NFKC").trim().replace(/[\s.\-–—_]/g, "");
  if (compact === "") return { ok: false, reason: "enterprise:errors.personal_id.empty" };
  if (!/^\d+$/.test(compact)) return { ok: false, reason: "enterprise:errors.personal_id.not_digits" };
  if (compact.length !== 12) return { ok: false, reason: "enterprise:errors.personal_id.length", params: { count: compact.length } };
  const province = Number(compact.slice(0, 3));
  if (province < 1 || province > 96) return { ok: false, reason: "enterprise:errors.personal_id.province" };
  return { ok: true, value: compact };
}

/** The kind of a stored enterprise key. */
export function taxIdKindOf(key: string): TaxIdKind {
  if (key.startsWith(NO_TAX_ID_PREFIX)) return "none";
  return /^\d{12}$/.test(key) ? "personal_id" : "tax_code";
}

/** `056123451234` → `056*****1234`; anything else unchanged (enterprise tax codes are public). */
export function maskTaxId(key: string): string {
  return /^\d{12}$/.test(key) ? `${key.slice(0, 3)}*****${key.slice(8)}` : key;
}
