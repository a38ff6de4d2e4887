import { DateTime } from "luxon";

/** A date as staff read it: `25/12/2026 08:00` in `timeZone`. */
export function formatLocal(d: Date, timeZone: string): string {
  return DateTime.fromJSDate(d, { zone: timeZone }).toFormat("dd/MM/yyyy HH:mm");
}
