import { DateTime } from "luxon";

const FORMATS = ["d/M/yyyy H:mm", "d/M/yyyy HH:mm", "d/M/yyyy", "yyyy-MM-dd H:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

/**
 * A date-time typed by staff — `25/12/2026 08:00`, `2026-12-25 08:00`, a date alone (00:00), or
 * full ISO 8601 — read in `timeZone` (Asia/Ho_Chi_Minh) unless it carries its own offset.
 */
export function parseWhen(input: string, timeZone: string): Date | null {
  const text = input.trim().replace(/\s+/g, " ");
  if (text === "") return null;
  if (/T\d{2}:\d{2}/.test(text)) {
    const iso = DateTime.fromISO(text, { zone: timeZone });
    return iso.isValid ? iso.toJSDate() : null;
  }
  for (const format of FORMATS) {
    const dt = DateTime.fromFormat(text, format, { zone: timeZone });
    if (dt.isValid) return dt.toJSDate();
  }
  return null;
}
