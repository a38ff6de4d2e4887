/**
 * Staff searches over registrations and enterprises: the console's lists and their exports read
 * the same selection. Text matches case-insensitively as typed (a regular expression of the
 * escaped text), a phone also as stored (+84…) when typed nationally (0…). Reads only.
 */
import type { QueryFilter } from "mongoose";
import type { Database } from "./database.js";
import type { RegistrationDoc } from "./models/registration.js";
import type { EnterpriseDoc } from "./models/enterprise.js";
import { toRecord, type RegistrationRecord } from "./registrations-repo.js";
import { createEnterprisesRepo, type EnterpriseRecord } from "./enterprises-repo.js";
import type { RegistrationStatus } from "../domain/registration.js";

/** Every read gives up after this long. */
const MAX_TIME_MS = 5_000;
/** An export holds at most this many rows (far above the programme's size; bounds memory). */
export const MAX_EXPORT_ROWS = 20_000;

/** Which registrations staff look at. */
export interface RegistrationFilter {
  text?: string | undefined;
  courseId?: string | undefined;
  status?: Exclude<RegistrationStatus, "pending"> | undefined;
}

/** Which enterprises staff look at. */
export interface EnterpriseFilter {
  text?: string | undefined;
  sector?: string | undefined;
  size?: string | undefined;
}

/** A page of a list: `skip` rows, then at most `limit`. */
export interface Window {
  skip: number;
  limit: number;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const like = (text: string) => ({ $regex: escape(text), $options: "i" });

/** The ways a typed phone may be stored: as typed, and 0… as +84…. */
function phoneForms(text: string): string[] {
  const digits = text.replace(/[\s.-]/g, "");
  if (!/^\+?\d{3,}$/.test(digits)) return [];
  return digits.startsWith("0") ? [digits, `+84${digits.slice(1)}`] : [digits];
}

/** The staff search repository. */
export function createStaffSearch(db: Database) {
  const { registration, enterprise } = db.models;
  const enterprises = createEnterprisesRepo(db);

  async function registrationQuery(filter: RegistrationFilter): Promise<QueryFilter<RegistrationDoc>> {
    // Half-done registrations are not staff's to see (they settle or roll back by themselves).
    const query: QueryFilter<RegistrationDoc> = { status: filter.status ?? { $in: ["confirmed", "waitlisted", "cancelled"] } };
    if (filter.courseId) query.courseId = filter.courseId;
    const text = filter.text?.trim();
    if (text) {
      // Workers who gave a registered tax code match on that enterprise's name too.
      const named = await enterprise.find({ name: like(text) }, { _id: 1 }).limit(500).maxTimeMS(MAX_TIME_MS).lean();
      query.$or = [
        { fullName: like(text) },
        ...phoneForms(text).map((p) => ({ phone: like(p) })),
        { "enterprise.name": like(text) },
        { "enterprise.taxCode": { $in: [text, ...named.map((e) => e._id)] } },
      ];
    }
    return query;
  }

  function enterpriseQuery(filter: EnterpriseFilter): QueryFilter<EnterpriseDoc> {
    const query: QueryFilter<EnterpriseDoc> = {};
    if (filter.sector) query.sector = filter.sector;
    if (filter.size) query.size = filter.size;
    const text = filter.text?.trim();
    if (text) query.$or = [{ name: like(text) }, { _id: like(text) }, { address: like(text) }];
    return query;
  }

  return {
    /** Registrations matching `filter`, newest first, one window of them, and how many match. */
    async registrations(filter: RegistrationFilter, window: Window): Promise<{ rows: RegistrationRecord[]; total: number }> {
      const query = await registrationQuery(filter);
      const [docs, total] = await Promise.all([
        registration.find(query).sort({ createdAt: -1, _id: 1 }).skip(window.skip).limit(window.limit).maxTimeMS(MAX_TIME_MS).lean(),
        registration.countDocuments(query).maxTimeMS(MAX_TIME_MS),
      ]);
      return { rows: docs.map(toRecord), total };
    },
    /** Every registration matching `filter` (an export), by course then in the order they came. */
    async allRegistrations(filter: RegistrationFilter): Promise<RegistrationRecord[]> {
      const docs = await registration.find(await registrationQuery(filter)).sort({ courseId: 1, createdAt: 1, _id: 1 }).limit(MAX_EXPORT_ROWS).maxTimeMS(MAX_TIME_MS).lean();
      return docs.map(toRecord);
    },
    /** The waiting registrations of these courses (a waiting person's place is among all who wait, not only those shown). */
    async waiting(courseIds: readonly string[]): Promise<RegistrationRecord[]> {
      if (courseIds.length === 0) return [];
      const docs = await registration.find({ courseId: { $in: [...new Set(courseIds)] }, status: "waitlisted" }).maxTimeMS(MAX_TIME_MS).lean();
      return docs.map(toRecord);
    },
    /** Enterprises matching `filter`, newest first, one window of them (with contact persons), and how many match. */
    async enterprises(filter: EnterpriseFilter, window: Window): Promise<{ rows: EnterpriseRecord[]; total: number }> {
      const query = enterpriseQuery(filter);
      const [docs, total] = await Promise.all([
        enterprise.find(query, { _id: 1 }).sort({ createdAt: -1, _id: 1 }).skip(window.skip).limit(window.limit).maxTimeMS(MAX_TIME_MS).lean(),
        enterprise.countDocuments(query).maxTimeMS(MAX_TIME_MS),
      ]);
      return { rows: await enterprises.findMany(docs.map((d) => d._id)), total };
    },
    /** Every enterprise matching `filter` (an export), oldest first. */
    async allEnterprises(filter: EnterpriseFilter): Promise<EnterpriseRecord[]> {
      const docs = await enterprise.find(enterpriseQuery(filter), { _id: 1 }).sort({ createdAt: 1, _id: 1 }).limit(MAX_EXPORT_ROWS).maxTimeMS(MAX_TIME_MS).lean();
      return enterprises.findMany(docs.map((d) => d._id));
    },
  };
}

/** The staff search repository. */
export type StaffSearch = ReturnType<typeof createStaffSearch>;
