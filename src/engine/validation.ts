/**
 * The contract for `ask` steps: a flow names a validator; the validator turns typed text into
 * a clean value or a reason (an i18n key) that the user sees before being asked again.
 */
import type { I18nKey, Locale } from "./messages.js";

/** The outcome of validating one answer. `reason` is an i18n key such as `enterprise:errors.tax_code.check_digit`. */
export type ValidationResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; reason: I18nKey; params?: Record<string, string | number> };

/** What a validator may know besides the text: pure values only. */
export interface ValidationContext {
  locale: Locale;
  now: Date;
  /** IANA time zone for dates typed by people (config `TZ_NAME`). */
  timeZone: string;
}

/** A pure function from typed text to a value or a reason. */
export type Validator<T = unknown> = (input: string, ctx: ValidationContext) => ValidationResult<T>;

/** All validators by name; flows:check rejects a flow naming one that is not here. */
export type ValidatorRegistry = Readonly<Record<string, Validator>>;
