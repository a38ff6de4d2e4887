/** A CSV file's separator: `,` or `;` (what Excel saves with Vietnamese regional settings). */
export type CsvDelimiter = "," | ";";

/** The separator of the header line: whichever of `;` and `,` occurs more outside quotes (`,` on a tie). */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas += 1;
    else if (!quoted && ch === ";") semicolons += 1;
  }
  return semicolons > commas ? ";" : ",";
}
