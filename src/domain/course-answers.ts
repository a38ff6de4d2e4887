/**
 * Course-form answers checked as they are typed: a date-time (with the exact reason when a typed
 * date does not exist), a number of seats, a place or an online link. Pure; reasons are i18n keys.
 */
import { DateTime } from "luxon";
import type { ValidationResult } from "../engine/validation.js";

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,T]+(\d{1,2})(?:[:hg](\d{2})?)?)?$/i;

/** Most seats a course may have. */
export const MAX_CAPACITY = 10_000;

/**
 * A date-time typed as `25/12/2026 08:00` (also `25-12-2026 8h`, `25/12/2026 8:30`, a date alone = 00:00,
 * or ISO 8601) read in `timeZone`. An impossible date says why: month 13, day 31 in a 30-day month, hour 25.
 */
export function parseDateTimeAnswer(input: string, timeZone: string): ValidationResult<Date> {
  const text = input.trim().replace(/\s+/g, " ");
  const m = DMY.exec(text);
  if (m) {
    // The regex requires day, month and year; hour and minute are optional.
    const num = (v: string | undefined, absent: number) => (v === undefined ? absent : Number(v));
    const [day, month, year, hour, minute] = [num(m[1], NaN), num(m[2], NaN), num(m[3], NaN), num(m[4], 0), num(m[5], 0)];
    if (month < 1 || month > 12) return { ok: false, reason: "staff:course.errors.month", params: { month } };
    const days = DateTime.fromObject({ year, month }, { zone: timeZone }).daysInMonth ?? 31;
    if (day < 1 || day > days) return { ok: false, reason: "staff:course.errors.day", params: { day, month, days } };
    if (hour > 23 || minute > 59) return { ok: false, reason: "staff:course.errors.time_of_day" };
    return { ok: true, value: DateTime.fromObject({ year, month, day, hour, minute }, { zone: timeZone }).toJSDate() };
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const iso = DateTime.fromISO(text.replace(" ", "T"), { zone: timeZone });
    if (iso.isValid) return { ok: true, value: iso.toJSDate() };
  }
  return { ok: false, reason: "staff:course.errors.date_format" };
}

/** A date-time in the future (a course start, end or deadline, a scheduled send), stored as ISO. */
export function futureDateTime(input: string, timeZone: string, now: Date): ValidationResult<string> {
  const parsed = parseDateTimeAnswer(input, timeZone);
  if (!parsed.ok) return parsed;
  if (parsed.value.getTime() <= now.getTime()) return { ok: false, reason: "staff:course.errors.past" };
  return { ok: true, value: parsed.value.toISOString() };
}

/** A number of seats: a whole number 1..10000 (`40`, `40 chỗ`, `1.000`). */
export function parseCapacity(input: string): ValidationResult<number> {
  const digits = input.trim().replace(/\s*(chỗ|cho|người|nguoi|seats?|hv|học viên)\.?$/i, "").replace(/[.,\s](?=\d{3}\b)/g, "");
  const n = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_CAPACITY) return { ok: false, reason: "staff:course.errors.capacity" };
  return { ok: true, value: n };
}

/** True when a place answer is an online link. */
export const isLink = (value: string) => /^https?:\/\//i.test(value.trim());

/** A place, or an online link (`https://…`; a link must be a valid http(s) address). */
export function parsePlaceOrLink(input: string): ValidationResult<string> {
  const value = input.normalize("NFC").replace(/\s+/g, " ").trim();
  if (value.length < 2) return { ok: false, reason: "staff:course.errors.place" };
  if (value.length > 300) return { ok: false, reason: "staff:course.errors.place_too_long" };
  if (/^(https?:|www\.)/i.test(value)) {
    try {
      const url = new URL(value.startsWith("www.") ? `https://${value}` : value);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
      return { ok: true, value: url.toString() };
    } catch {
      return { ok: false, reason: "staff:course.errors.url" };
    }
  }
  return { ok: true, value };
}

/** Longest announcement (the broadcast service's limit). */
export const MAX_ANNOUNCEMENT = 4000;

/** An announcement as staff type it: line breaks kept, 1..4000 characters. */
export function parseAnnouncement(input: string): ValidationResult<string> {
  const value = input.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[^\S\n]+/g, " ").replace(/\n{3,}/g, "\n\n").trim();
  if (value === "") return { ok: false, reason: "staff:broadcast.errors.text" };
  if ([...value].length > MAX_ANNOUNCEMENT) return { ok: false, reason: "staff:broadcast.errors.too_long", params: { max: MAX_ANNOUNCEMENT, length: [...value].length } };
  return { ok: true, value };
}
