import { buildSheet, localDateTime, nationalPhone, type ColumnDef, type Label } from "./columns.js";
import type { Sheet } from "./sheet.js";
import { dataKey } from "../../engine/msg-ref.js";

/** An enterprise as exported. */
export interface EnterpriseRow {
  taxCode: string;
  name: string;
  sector: string;
  size: string;
  address: string;
  supportInterests?: string[] | null;
  contacts?: Array<{ name: string; phone: string; email?: string | null }> | null;
  createdAt?: Date | null;
}

type Line = { e: EnterpriseRow; person: { name: string; phone: string; email?: string | null } | null };

function columns(tz: string, label: Label): ColumnDef<Line>[] {
  return [
    { id: "tax_code", width: 16, value: (l) => l.e.taxCode },
    { id: "enterprise_name", width: 34, value: (l) => l.e.name },
    { id: "sector", width: 30, value: (l) => label({ key: dataKey(`policies:sectors.${l.e.sector}`) }) },
    { id: "size", width: 12, value: (l) => label({ key: dataKey(`policies:sizes.${l.e.size}`) }) },
    { id: "address", width: 36, value: (l) => l.e.address },
    { id: "support_interests", width: 40, value: (l) => (l.e.supportInterests ?? []).map((g) => label({ key: dataKey(`policies:groups.${g}`) })).join("; ") },
    { id: "contact_name", width: 24, value: (l) => l.person?.name },
    { id: "phone", width: 14, value: (l) => nationalPhone(l.person?.phone) },
    { id: "email", width: 26, value: (l) => l.person?.email },
    { id: "registered_at", width: 17, value: (l) => localDateTime(l.e.createdAt, tz) },
  ];
}

/** Every enterprise, one line per contact person (or one without), with labels and local times. */
export function enterprisesSheet(rows: readonly EnterpriseRow[], label: Label, timeZone: string): Sheet {
  const lines: Line[] = rows.flatMap((e): Line[] => (e.contacts && e.contacts.length > 0 ? e.contacts.map((person) => ({ e, person })) : [{ e, person: null }]));
  return buildSheet(label({ key: "staff:export.enterprises" }), columns(timeZone, label), lines, label);
}
