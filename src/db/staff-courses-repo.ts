import type { Database } from "./database.js";
import type { CourseRecord } from "./courses-repo.js";
import { createCoursesRepo } from "./courses-repo.js";
import { createEnterprisesRepo } from "./enterprises-repo.js";
import type { CourseAudience } from "../domain/course.js";

/** A course with how many hold a seat and how many wait (the staff list). */
export interface CourseStats extends CourseRecord {
  confirmed: number;
  waitlisted: number;
}

/** Fields staff may change on a course. */
export interface CoursePatch {
  title?: { vi: string; en: string | null };
  description?: { vi: string; en: string | null };
  audience?: CourseAudience[];
  startAt?: Date;
  endAt?: Date;
  place?: string | null;
  onlineUrl?: string | null;
  capacity?: number;
  deadline?: Date;
}

/** Staff-side course reads and writes that the registration repositories do not offer. */
export function createStaffCoursesRepo(db: Database) {
  const { course, registration, enterprise } = db.models;
  const courses = createCoursesRepo(db);
  const enterprises = createEnterprisesRepo(db);
  return {
    /** All courses, newest start first, with seats taken and waitlist length. */
    async listWithStats(limit = 50): Promise<CourseStats[]> {
      const docs = await course.find({}, { _id: 1 }).sort({ startAt: -1 }).limit(limit).lean();
      const map = await courses.findMany(docs.map((d) => d._id));
      const regs = await registration.find({ courseId: { $in: docs.map((d) => d._id) }, status: { $in: ["confirmed", "waitlisted"] } }, { courseId: 1, status: 1 }).lean();
      const count = (id: string, status: string) => regs.filter((r) => r.courseId === id && r.status === status).length;
      return docs.flatMap((d) => {
        const c = map.get(d._id);
        return c ? [{ ...c, confirmed: count(c.id, "confirmed"), waitlisted: count(c.id, "waitlisted") }] : [];
      });
    },
    /** How many hold a seat in a course now. */
    confirmedCount: (courseId: string): Promise<number> => registration.countDocuments({ courseId, status: "confirmed" }),
    /** Applies a patch; false when the course does not exist. */
    async update(id: string, patch: CoursePatch): Promise<boolean> {
      const res = await course.updateOne({ _id: id }, { $set: patch });
      return res.matchedCount > 0;
    },
    async setStatus(id: string, status: "open" | "closed" | "cancelled"): Promise<boolean> {
      const res = await course.updateOne({ _id: id }, { $set: { status } });
      return res.matchedCount > 0;
    },
    /** Every enterprise with its contact persons (for the export). */
    async enterprises() {
      return enterprises.listAll();
    },
    /** Names of registered enterprises by tax code (the export resolves workers' tax codes). */
    async enterpriseNames(taxCodes: readonly string[]): Promise<Map<string, string>> {
      const unique = [...new Set(taxCodes)];
      if (unique.length === 0) return new Map();
      const rows = await enterprise.find({ _id: { $in: unique } }, { name: 1 }).lean();
      return new Map(rows.map((e) => [e._id, e.name]));
    },
    /** Contact keys of enterprise contact persons, optionally of one sector (broadcast audience). */
    async enterpriseContacts(sector?: string): Promise<string[]> {
      return enterprises.contactKeys(sector);
    },
    /** Contact keys of a course's active registrants (broadcast audience). */
    async courseContacts(courseId: string): Promise<string[]> {
      const rows = await registration.find({ courseId, status: { $in: ["confirmed", "waitlisted"] } }, { contactId: 1 }).lean();
      return [...new Set(rows.map((r) => r.contactId))];
    },
  };
}

/** The staff courses repository. */
export type StaffCoursesRepo = ReturnType<typeof createStaffCoursesRepo>;
