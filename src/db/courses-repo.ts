/** Courses: create (staff, seed), read, and list the ones open for registration. */
import type { Database } from "./database.js";
import type { CourseDoc } from "./models/course.js";
import { seatsLeft, type CourseAudience, type CourseInput, type CourseStatus } from "../domain/course.js";

/** A course as the rest of the app sees it (plain data). */
export interface CourseRecord {
  id: string;
  title: { vi: string; en: string | null };
  description: { vi: string; en: string | null };
  startAt: Date;
  endAt: Date;
  place: string | null;
  onlineUrl: string | null;
  capacity: number;
  deadline: Date;
  audience: CourseAudience[];
  status: CourseStatus;
}

/** A course with the seats still free. */
export interface CourseWithSeats extends CourseRecord {
  seatsLeft: number;
}

/** A stored localized text (`vi` is required by the schema, so it is always there). */
const localized = (t: { vi: string; en?: string | null } | null | undefined) => ({ vi: t?.vi ?? "", en: t?.en ?? null });

function toRecord(doc: CourseDoc): CourseRecord {
  return {
    id: doc._id,
    title: localized(doc.title),
    description: localized(doc.description),
    startAt: doc.startAt,
    endAt: doc.endAt,
    place: doc.place ?? null,
    onlineUrl: doc.onlineUrl ?? null,
    capacity: doc.capacity,
    deadline: doc.deadline,
    audience: doc.audience ?? [],
    status: doc.status,
  };
}

/** The courses repository. */
export function createCoursesRepo(db: Database) {
  const { course, seat } = db.models;

  async function withSeats(records: CourseRecord[]): Promise<CourseWithSeats[]> {
    if (records.length === 0) return [];
    const rows = await seat.aggregate<{ _id: string; n: number }>([
      { $match: { courseId: { $in: records.map((r) => r.id) } } },
      { $group: { _id: "$courseId", n: { $sum: 1 } } },
    ]);
    const taken = new Map(rows.map((r) => [r._id, r.n]));
    return records.map((r) => ({ ...r, seatsLeft: seatsLeft(r.capacity, taken.get(r.id) ?? 0) }));
  }

  return {
    /** Creates a course from validated input (with a chosen `id`, e.g. for seeds); returns its id. */
    async create(input: CourseInput, id?: string): Promise<string> {
      const created = await course.create({ ...(id ? { _id: id } : {}), ...input, place: input.place ?? null, onlineUrl: input.onlineUrl ?? null, title: { vi: input.title.vi, en: input.title.en ?? null }, description: { vi: input.description.vi, en: input.description.en ?? null } });
      return created._id;
    },
    /** One course, or null. */
    async findById(id: string): Promise<CourseRecord | null> {
      const doc = await course.findById(id).lean();
      return doc ? toRecord(doc) : null;
    },
    /** One course with seats left, or null. */
    async findWithSeats(id: string): Promise<CourseWithSeats | null> {
      const doc = await course.findById(id).lean();
      return doc ? ((await withSeats([toRecord(doc)]))[0] ?? null) : null;
    },
    /** Courses open for registration now (deadline not passed), soonest start first, one page. */
    async listOpen(now: Date, page: number, pageSize: number): Promise<{ items: CourseWithSeats[]; total: number }> {
      const [docs, total] = await Promise.all([
        course.find({ status: "open", deadline: { $gte: now } }).sort({ startAt: 1, _id: 1 }).skip(page * pageSize).limit(pageSize).lean(),
        course.countDocuments({ status: "open", deadline: { $gte: now } }),
      ]);
      return { items: await withSeats(docs.map((d) => toRecord(d))), total };
    },
    /** Several courses by id (for listing someone's registrations). */
    async findMany(ids: string[]): Promise<Map<string, CourseRecord>> {
      const docs = ids.length === 0 ? [] : await course.find({ _id: { $in: ids } }).lean();
      return new Map(docs.map((d) => [d._id, toRecord(d)]));
    },
  };
}

/** The courses repository. */
export type CoursesRepo = ReturnType<typeof createCoursesRepo>;
