import { stringify } from "csv-stringify/sync";
import type { CourseRecord } from "../db/courses-repo.js";
import type { RegistrationRecord } from "../db/registrations-repo.js";
import type { OutgoingDocument } from "../engine/messages.js";

/** The byte order mark that makes Excel read the file as UTF-8 (Vietnamese letters intact). */
const BOM = "\uFEFF";

/** Rows → a CSV document (UTF-8 with BOM, CRLF line ends as Excel expects). */
export function csvDocument(filename: string, header: string[], rows: Array<Array<string | number | null | undefined>>): OutgoingDocument {
  const text = stringify([header, ...rows.map((r) => r.map((v) => (v === null || v === undefined ? "" : String(v))))], { record_delimiter: "windows" });
  return { filename, mimeType: "text/csv", content: Buffer.from(BOM + text, "utf8") };
}

/** A course's registrations as CSV, in the order they came. */
export function registrationsCsv(course: CourseRecord, regs: readonly RegistrationRecord[]): OutgoingDocument {
  return csvDocument(
    `registrations-${course.id}.csv`,
    ["registration_id", "course_id", "course_title", "status", "seat_no", "full_name", "phone", "enterprise_tax_code", "enterprise_name", "job_title", "registered_at", "cancelled_at"],
    regs.map((r) => [
      r.id,
      course.id,
      course.title.vi,
      r.status,
      r.seatNo,
      r.fullName,
      r.phone,
      r.enterprise?.kind === "tax_code" ? r.enterprise.taxCode : "",
      r.enterprise?.kind === "name" ? r.enterprise.name : "",
      r.jobTitle,
      r.createdAt?.toISOString(),
      r.cancelledAt?.toISOString(),
    ]),
  );
}

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

/** Every enterprise as CSV: one line per contact person (or one without). */
export function enterprisesCsv(rows: readonly EnterpriseRow[]): OutgoingDocument {
  return csvDocument(
    "enterprises.csv",
    ["tax_code", "name", "sector", "size", "address", "support_interests", "contact_name", "contact_phone", "contact_email", "registered_at"],
    rows.flatMap((e) => {
      const base = [e.taxCode, e.name, e.sector, e.size, e.address, (e.supportInterests ?? []).join(";")];
      const people = e.contacts && e.contacts.length > 0 ? e.contacts : [null];
      return people.map((p) => [...base, p?.name, p?.phone, p?.email, e.createdAt?.toISOString()]);
    }),
  );
}
