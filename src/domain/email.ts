/** E-mail addresses: a pragmatic check (one @, a dotted domain, no spaces), stored lower-cased. */
import type { ValidationResult } from "../engine/validation.js";

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Parses an e-mail address; the whole address is lower-cased (providers here treat it case-insensitively). */
export function parseEmail(input: string): ValidationResult<string> {
  const value = input.normalize("NFKC").trim();
  if (value === "") return { ok: false, reason: "enterprise:errors.email.empty" };
  if (value.length > 254) return { ok: false, reason: "enterprise:errors.email.too_long" };
  if (/\s/.test(value)) return { ok: false, reason: "enterprise:errors.email.spaces" };
  const at = value.split("@").length - 1;
  if (at !== 1) return { ok: false, reason: "enterprise:errors.email.at_sign" };
  if (!EMAIL.test(value) || value.includes("..") || value.startsWith(".") || value.split("@")[0]!.endsWith(".")) {
    return { ok: false, reason: "enterprise:errors.email.format" };
  }
  return { ok: true, value: value.toLowerCase() };
}
