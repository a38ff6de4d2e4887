import type { OutgoingDocument } from "../../engine/messages.js";
import { cellOut, type Sheet } from "./sheet.js";

/** The MIME type of an .xlsx file. */
export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * A sheet as an Excel workbook: a bold frozen header with filters, text columns formatted as
 * text (`@`, so a tax code keeps its leading 0 when edited), formula-safe cells.
 */
export async function sheetToXlsx(sheet: Sheet, filename: string): Promise<OutgoingDocument> {
  // Loaded on the first export: importing exceljs costs ~250 ms, which every start would pay.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "NSCL bot";
  // Excel limits a worksheet name to 31 characters and forbids some.
  const ws = workbook.addWorksheet(sheet.name.replace(/[\\/?*[\]:]/g, " ").slice(0, 31) || "Sheet1", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({ header: String(cellOut(c.header, "text") ?? ""), width: c.width ?? Math.min(40, Math.max(12, c.header.length + 2)), ...(c.kind === "text" ? { style: { numFmt: "@" } } : {}) }));
  ws.getRow(1).font = { bold: true };
  for (const r of sheet.rows) ws.addRow(sheet.columns.map((c, i) => cellOut(r[i], c.kind)));
  if (sheet.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  const content = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename, mimeType: XLSX_MIME, content };
}
