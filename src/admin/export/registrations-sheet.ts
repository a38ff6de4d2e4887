import type { CourseRecord } from "../../db/courses-repo.js";
import type { RegistrationRecord } from "../../db/registrations-repo.js";
import { buildSheet, localDateTime, nationalPhone, type ColumnDef, type Label } from "./columns.js";
import type { Sheet } from "./sheet.js";

/** A registration with what the export resolves for it. */
interface Row {
  no: number;
  reg: RegistrationRecord;
  enterpriseName: string | null;
  waitRank: number | null;
}

/** What the registrations export needs besides the records. */
export interface RegistrationsSheetInput {
  course: CourseRecord;
  registrations: readonly RegistrationRecord[];
  /** Registered enterprises' names by tax code (for workers who gave a tax code). */
  enterpriseNames: ReadonlyMap<string, string>;
  label: Label;
  locale: "vi" | "en";
  timeZone: string;
}

function columns(tz: string, label: Label): ColumnDef<Row>[] {
  return [
    { id: "no", kind: "number", width: 6, value: (r) => r.no },
    { id: "full_name", width: 28, value: (r) => r.reg.fullName },
    { id: "phone", width: 14, value: (r) => nationalPhone(r.reg.phone) },
    { id: "enterprise_name", width: 34, value: (r) => r.enterpriseName },
    { id: "tax_code", width: 16, value: (r) => (r.reg.enterprise?.kind === "tax_code" ? r.reg.enterprise.taxCode : null) },
    { id: "job_title", width: 20, value: (r) => r.reg.jobTitle },
    { id: "status", width: 16, value: (r) => label({ key: `staff:export.status.${r.reg.status}` }) },
    { id: "seat_no", kind: "number", width: 8, value: (r) => r.reg.seatNo },
    { id: "wait_position", kind: "number", width: 10, value: (r) => r.waitRank },
    { id: "registered_at", width: 17, value: (r) => localDateTime(r.reg.createdAt, tz) },
    { id: "cancelled_at", width: 17, value: (r) => localDateTime(r.reg.cancelledAt, tz) },
  ];
}

/**
 * A course's registrations as staff read them: labels, local times, the enterprise's name
 * (also when the worker gave a registered tax code) and the place in the waiting line now.
 */
export function registrationsSheet(input: RegistrationsSheetInput): Sheet {
  const waiting = input.registrations.filter((r) => r.status === "waitlisted" && r.waitPosition !== null).sort((a, b) => a.waitPosition! - b.waitPosition!);
  const rank = new Map(waiting.map((r, i) => [r.id, i + 1]));
  const rows: Row[] = input.registrations.map((reg, i) => ({
    no: i + 1,
    reg,
    enterpriseName: reg.enterprise?.kind === "name" ? reg.enterprise.name : reg.enterprise?.kind === "tax_code" ? (input.enterpriseNames.get(reg.enterprise.taxCode) ?? null) : null,
    waitRank: rank.get(reg.id) ?? null,
  }));
  const title = input.locale === "en" ? (input.course.title.en ?? input.course.title.vi) : input.course.title.vi;
  return buildSheet(title, columns(input.timeZone, input.label), rows, input.label);
}
