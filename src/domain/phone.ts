/** Vietnamese mobile numbers: typed as 0xx…, +84xx… or 84xx…, stored as E.164 (`+84…`). */
import type { ValidationResult } from "../engine/validation.js";

const MOBILE_PREFIXES = new Set(["3", "5", "7", "8", "9"]);

/** Parses a Vietnamese mobile number into E.164 (`+84912345678`), or a reason. */
export function parseVnMobile(input: string): ValidationResult<string> {
  const compact = input.normalize("NFKC").trim().replace(/[\s.\-()]/g, "");
  if (compact === "") return { ok: false, reason: "enterprise:errors.phone.empty" };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: "enterprise:errors.phone.not_digits" };
  let national: string;
  if (compact.startsWith("+")) {
    if (!compact.startsWith("+84")) return { ok: false, reason: "enterprise:errors.phone.country" };
    national = compact.slice(3);
  } else if (compact.startsWith("84") && compact.length === 11) {
    national = compact.slice(2);
  } else if (compact.startsWith("0")) {
    national = compact.slice(1);
  } else {
    return { ok: false, reason: "enterprise:errors.phone.prefix" };
  }
  // "+84 091…" happens: people keep the trunk 0 after the country code.
  if (national.length === 10 && national.startsWith("0")) national = national.slice(1);
  // The prefix first: a landline (02x…) is a wrong kind of number, not a wrong length.
  if (!MOBILE_PREFIXES.has(national[0] ?? "")) return { ok: false, reason: "enterprise:errors.phone.prefix" };
  if (national.length !== 9) return { ok: false, reason: "enterprise:errors.phone.length" };
  return { ok: true, value: `+84${national}` };
}

/** `+84912345678` → `0912 345 678`, the way people here read a number. */
export function formatVnMobile(e164: string): string {
  if (!/^\+84\d{9}$/.test(e164)) return e164;
  const n = `0${e164.slice(3)}`;
  return `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`;
}

/** `+84912345678` → `0912 *** 678`: enough for someone who knows the person to recognise them. */
export function maskPhone(e164: string): string {
  if (!/^\+84\d{9}$/.test(e164)) return "***";
  const n = `0${e164.slice(3)}`;
  return `${n.slice(0, 4)} *** ${n.slice(7)}`;
}
