/**
 * A table to export, independent of the file format: columns with a header and a kind, rows of
 * plain values. `csv.ts` and `xlsx.ts` write it; both neutralise formula-looking cells.
 */

/** How a column is written: `text` cells stay text in Excel (tax codes with a leading 0, phones). */
export type ColumnKind = "text" | "number";

/** One column. */
export interface SheetColumn {
  header: string;
  kind: ColumnKind;
  /** Width in characters in the XLSX file. */
  width?: number;
}

/** A cell value before writing; null/undefined is an empty cell. */
export type CellValue = string | number | null | undefined;

/** A table to export. */
export interface Sheet {
  /** The worksheet name (XLSX) and the file name's stem. */
  name: string;
  columns: SheetColumn[];
  rows: CellValue[][];
}

// A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, lets
// the next character start one): =HYPERLINK(…), +cmd|…, -2+3, @SUM(A:A).
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe to open in a spreadsheet: one that could start a formula gets a leading `'`. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value written for a cell: numbers as numbers in number columns, everything else as safe text. */
export function cellOut(value: CellValue, kind: ColumnKind): string | number | null {
  if (value === null || value === undefined || value === "") return null;
  if (kind === "number" && typeof value === "number") return value;
  return neutraliseFormula(String(value));
}
