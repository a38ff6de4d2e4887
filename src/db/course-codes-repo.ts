/**
 * Short sign-up codes for courses (`KH12`). A course's code is claimed once by inserting
 * `course:<courseId>` (so two staff asking at once get the same code), the code itself by
 * inserting `KH<n>` (so no two courses share one). Look-ups are by `_id` both ways.
 */
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { courseCode } from "../domain/course-code.js";

interface CodeDoc {
  _id: string;
  /** For `KH<n>`: the course; for `course:<id>`: the code. */
  value: string;
  at: Date;
}

const OP = { maxTimeMS: 10_000 } as const;

/** The course-codes repository. */
export function createCourseCodesRepo(db: Database) {
  const native = db.connection.db;
  if (!native) throw new Error("course codes: the database connection is not open");
  const codes = native.collection<CodeDoc>("course_codes");

  async function insert(doc: CodeDoc): Promise<boolean> {
    try {
      await codes.insertOne(doc);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  return {
    /** The course behind a code, or null. */
    async courseOf(code: string): Promise<string | null> {
      return (await codes.findOne({ _id: code }, OP))?.value ?? null;
    },
    /** The course's code, assigned on first use. */
    async codeFor(courseId: string): Promise<string> {
      const key = `course:${courseId}`;
      const existing = await codes.findOne({ _id: key }, OP);
      if (existing) {
        // A crash between the two inserts leaves the code unclaimed: claim it now (a duplicate is fine).
        await insert({ _id: existing.value, value: courseId, at: new Date() });
        return existing.value;
      }
      let n = (await codes.countDocuments({ _id: { $regex: "^KH" } }, OP)) + 1;
      for (let attempt = 0; attempt < 1_000; attempt++, n++) {
        if (!(await insert({ _id: courseCode(n), value: courseId, at: new Date() }))) continue;
        if (await insert({ _id: key, value: courseCode(n), at: new Date() })) return courseCode(n);
        // Someone gave this course a code meanwhile: give ours back and use theirs.
        await codes.deleteOne({ _id: courseCode(n), value: courseId });
        return (await codes.findOne({ _id: key }, OP))!.value;
      }
      throw new Error("course code claim did not settle");
    },
  };
}

/** The course-codes repository. */
export type CourseCodesRepo = ReturnType<typeof createCourseCodesRepo>;
