/**
 * The baseline's own validators, written the way a developer would inline them — the same
 * rules as the project (docs: /work/shared/docs/domain.md): 10- or 13-digit tax code with the
 * check digit, Vietnamese mobile phone to E.164, a plain e-mail check.
 */

/** A tax code in canonical form (`NNNNNNNNNN` or `NNNNNNNNNN-NNN`), or null when invalid. */
export function canonicalTaxCode(input: string): string | null {
  const digits = input.replace(/[\s.-]/g, "");
  if (!/^\d{10}(\d{3})?$/.test(digits)) return null;
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * (weights[i] ?? 0);
  const check = 10 - (sum % 11);
  if (check !== Number(digits[9])) return null;
  if (digits.length === 13) {
    const suffix = digits.slice(10);
    if (suffix === "000") return null;
    return `${digits.slice(0, 10)}-${suffix}`;
  }
  return digits;
}

/** A Vietnamese mobile number as E.164 (`+84…`), or null. */
export function canonicalPhone(input: string): string | null {
  let digits = input.replace(/[\s.\-()]/g, "");
  if (digits.startsWith("+84")) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith("84") && digits.length === 11) digits = `0${digits.slice(2)}`;
  if (!/^0[35789]\d{8}$/.test(digits)) return null;
  return `+84${digits.slice(1)}`;
}

/** A trimmed, lower-cased e-mail address, or null. */
export function canonicalEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email) && email.length <= 254 ? email : null;
}

/** NFC text with whitespace collapsed, `min..max` characters, optionally with a letter / without digits; or null. */
export function plainText(input: string, min: number, max: number, rules: { needsLetter?: boolean; noDigits?: boolean } = {}): string | null {
  const text = input.normalize("NFC").replace(/\s+/g, " ").trim();
  const length = [...text].length;
  if (length < min || length > max || /\p{Cc}/u.test(text)) return null;
  if (rules.needsLetter && !/\p{L}/u.test(text)) return null;
  if (rules.noDigits && /\p{N}/u.test(text)) return null;
  return text;
}
