/** Exports staff open in Excel: XLSX by default, CSV on request, from one `Sheet`. */
import type { OutgoingDocument } from "../../engine/messages.js";
import { sheetToCsv } from "./csv.js";
import type { Sheet } from "./sheet.js";
import { sheetToXlsx } from "./xlsx.js";

/** The file formats of an export. */
export const EXPORT_FORMATS = ["xlsx", "csv"] as const;
/** One of `EXPORT_FORMATS`. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Writes a sheet in the format asked for; `stem` is the file name without extension. */
export function writeSheet(sheet: Sheet, stem: string, format: ExportFormat): Promise<OutgoingDocument> {
  const safeStem = stem.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 60);
  return format === "csv" ? Promise.resolve(sheetToCsv(sheet, `${safeStem}.csv`)) : sheetToXlsx(sheet, `${safeStem}.xlsx`);
}
