/**
 * Removes personal data from a phrase before it is stored for staff to learn from: emails,
 * phone numbers, tax codes, ID numbers and any other long run of digits, and @handles.
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Phones (+84 …, 0… with spaces, dots or dashes), tax codes (10 or 13 digits), IDs (9 or 12): 6+ digits in a row.
const DIGITS = /\+?\d[\d\s.-]{4,}\d/g;
const HANDLE = /@[A-Za-z0-9_]{3,}/g;

/** The phrase without personal data, trimmed to `max` characters. */
export function scrubPhrase(text: string, max = 200): string {
  const scrubbed = text
    .normalize("NFC")
    .replace(EMAIL, "<email>")
    .replace(DIGITS, (m) => (m.replace(/\D/g, "").length >= 6 ? "<số>" : m))
    .replace(HANDLE, "<tài khoản>")
    .replace(/\s+/g, " ")
    .trim();
  return [...scrubbed].slice(0, max).join("");
}
