import { stringify } from "csv-stringify/sync";
import type { OutgoingDocument } from "../../engine/messages.js";
import { cellOut, type Sheet } from "./sheet.js";

/** The byte order mark that makes Excel read the file as UTF-8 (Vietnamese letters intact). */
const BOM = "\uFEFF";

/** A sheet as CSV: UTF-8 with BOM, CRLF line ends as Excel expects, formula-safe cells. */
export function sheetToCsv(sheet: Sheet, filename: string): OutgoingDocument {
  const rows = sheet.rows.map((r) => sheet.columns.map((c, i) => cellOut(r[i], c.kind) ?? ""));
  const text = stringify([sheet.columns.map((c) => cellOut(c.header, "text") ?? ""), ...rows], { record_delimiter: "windows" });
  return { filename, mimeType: "text/csv", content: Buffer.from(BOM + text, "utf8") };
}
