import { DateTime } from "luxon";
import type { Msg } from "../../engine/messages.js";
import type { CellValue, ColumnKind, Sheet, SheetColumn } from "./sheet.js";
import { dataKey } from "../../engine/msg-ref.js";

/** Renders a message in the staff member's language. */
export type Label = (msg: Msg) => string;

/** A column defined once: its header key (`staff:export.columns.<id>`), kind, width and value. */
export interface ColumnDef<R> {
  id: string;
  kind?: ColumnKind;
  width?: number;
  value(row: R): CellValue;
}

/** Builds a sheet from column definitions: headers in the staff member's language. */
export function buildSheet<R>(name: string, defs: readonly ColumnDef<R>[], rows: readonly R[], label: Label): Sheet {
  const columns: SheetColumn[] = defs.map((d) => ({ header: label({ key: dataKey(`staff:export.columns.${d.id}`) }), kind: d.kind ?? "text", ...(d.width ? { width: d.width } : {}) }));
  return { name, columns, rows: rows.map((r) => defs.map((d) => d.value(r))) };
}

/** A date as staff read it in a spreadsheet: `25/12/2026 08:00` in `timeZone`. */
export function localDateTime(d: Date | null | undefined, timeZone: string): string | null {
  return d ? DateTime.fromJSDate(d, { zone: timeZone }).toFormat("dd/MM/yyyy HH:mm") : null;
}

/** A stored phone (+84…) as Vietnamese staff dial it (0…); kept as text so the 0 stays. */
export function nationalPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.startsWith("+84") ? `0${phone.slice(3)}` : phone;
}
