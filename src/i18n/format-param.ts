/** Formats Msg params for a locale: dates in the configured time zone, numbers with local separators. */
import { DateTime } from "luxon";
import type { Locale } from "../engine/messages.js";

const DATE_FORMAT: Record<Locale, string> = { vi: "dd/MM/yyyy HH:mm", en: "d MMM yyyy, HH:mm" };
const NUMBER_LOCALE: Record<Locale, string> = { vi: "vi-VN", en: "en-GB" };

/** A Date as the user reads it, e.g. `25/11/2026 14:00` (vi) or `25 Nov 2026, 14:00` (en). */
export function formatDate(date: Date, locale: Locale, timeZone: string): string {
  return DateTime.fromJSDate(date, { zone: timeZone }).setLocale(locale === "vi" ? "vi" : "en-GB").toFormat(DATE_FORMAT[locale]);
}

/** One formatter per locale: building an `Intl.NumberFormat` costs far more than using one. */
const NUMBER_FORMATS = new Map<Locale, Intl.NumberFormat>();

/** A number with the locale's separators (1.234,5 in vi; 1,234.5 in en). */
export function formatNumber(value: number, locale: Locale): string {
  let format = NUMBER_FORMATS.get(locale);
  if (!format) NUMBER_FORMATS.set(locale, (format = new Intl.NumberFormat(NUMBER_LOCALE[locale])));
  return format.format(value);
}

/** Formats every param; `count` stays a number because i18next picks plural forms from it. */
export function formatParams(params: Record<string, string | number | Date>, locale: Locale, timeZone: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value instanceof Date) out[name] = formatDate(value, locale, timeZone);
    else if (typeof value === "number") out[name] = name === "count" ? value : formatNumber(value, locale);
    else out[name] = value;
  }
  return out;
}
