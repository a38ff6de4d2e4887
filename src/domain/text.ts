/** Free-text answers people type: names, addresses, titles. Trimmed, NFC-normalised, bounded. */
import type { I18nKey } from "../engine/messages.js";
import type { ValidationResult } from "../engine/validation.js";

/** A key prefix with every text reason under it: a rule naming one that lacks any is a compile error. */
type TextReasonPrefix = {
  [K in I18nKey]: K extends `${infer P}.empty` ? (`${P}.${"too_short" | "too_long" | "control" | "no_letter" | "digits"}` extends I18nKey ? P : never) : never;
}[I18nKey];

/** Limits for one kind of text answer; reasons are `<reasonPrefix>.empty|too_short|too_long|control|no_letter|digits`. */
export interface TextRule {
  reasonPrefix: TextReasonPrefix;
  min: number;
  max: number;
  /** Must contain at least one letter (any script). */
  needsLetter?: boolean;
  /** Digits are not allowed (person names). */
  noDigits?: boolean;
}

// Control characters (C0, DEL, C1 = \p{Cc}) and bidi overrides have no place in a name and can spoof text.
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Cleans a typed text: NFC, trimmed, inner whitespace collapsed. Returns a value or a specific reason. */
export function parseText(input: string, rule: TextRule): ValidationResult<string> {
  const nfc = input.normalize("NFC");
  if (CONTROL.test(nfc.replace(/[\t\n\r]/g, " "))) return { ok: false, reason: `${rule.reasonPrefix}.control` };
  const value = nfc.replace(/\s+/g, " ").trim();
  if (value === "") return { ok: false, reason: `${rule.reasonPrefix}.empty` };
  const length = [...value].length;
  if (length < rule.min) return { ok: false, reason: `${rule.reasonPrefix}.too_short`, params: { min: rule.min } };
  if (length > rule.max) return { ok: false, reason: `${rule.reasonPrefix}.too_long`, params: { max: rule.max } };
  if (rule.needsLetter && !/\p{L}/u.test(value)) return { ok: false, reason: `${rule.reasonPrefix}.no_letter` };
  if (rule.noDigits && /\p{N}/u.test(value)) return { ok: false, reason: `${rule.reasonPrefix}.digits` };
  return { ok: true, value };
}

/** A person's full name. */
export const PERSON_NAME_RULE: TextRule = { reasonPrefix: "enterprise:errors.person_name", min: 2, max: 100, needsLetter: true, noDigits: true };
/** An enterprise's name. */
export const ENTERPRISE_NAME_RULE: TextRule = { reasonPrefix: "enterprise:errors.enterprise_name", min: 2, max: 200, needsLetter: true };
/** An address (district/commune, free text). */
export const ADDRESS_RULE: TextRule = { reasonPrefix: "enterprise:errors.address", min: 3, max: 300, needsLetter: true };
/** A job title. */
export const JOB_TITLE_RULE: TextRule = { reasonPrefix: "enterprise:errors.job_title", min: 2, max: 100, needsLetter: true };
/** Any other free text (a note, a question). */
export const FREE_TEXT_RULE: TextRule = { reasonPrefix: "enterprise:errors.free_text", min: 1, max: 1000 };
/** Every text rule, for tests that check each reason key exists in every locale. */
export const TEXT_RULES: readonly TextRule[] = [PERSON_NAME_RULE, ENTERPRISE_NAME_RULE, ADDRESS_RULE, JOB_TITLE_RULE, FREE_TEXT_RULE];

const SKIP_WORDS = new Set(["-", "0", "skip", "no", "none", "khong", "không", "bo qua", "bỏ qua", "ko", "k"]);

/** True when the user declines an optional answer ("-", "skip", "bỏ qua", "không"…). */
export function isSkipAnswer(input: string): boolean {
  return SKIP_WORDS.has(input.normalize("NFC").trim().toLowerCase().replace(/[.!]+$/, ""));
}
