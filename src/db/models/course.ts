import { Schema, Types, type Connection, type InferSchemaType } from "mongoose";
import { COURSE_AUDIENCES, COURSE_STATUSES } from "../../domain/course.js";

const localized = { vi: { type: String, required: true }, en: { type: String, default: null } };

/** A training course. `_id` is a 24-hex string (fits a button id). Times are UTC. */
export const courseSchema = new Schema(
  {
    _id: { type: String, default: () => new Types.ObjectId().toHexString() },
    title: localized,
    description: localized,
    startAt: { type: Date, required: true },
    endAt: { type: Date, required: true },
    place: { type: String, default: null },
    onlineUrl: { type: String, default: null },
    capacity: { type: Number, required: true, min: 1 },
    deadline: { type: Date, required: true },
    audience: { type: [{ type: String, enum: COURSE_AUDIENCES }], default: [] },
    status: { type: String, required: true, default: "open", enum: COURSE_STATUSES },
  },
  { timestamps: true, minimize: false },
);
/** A course as stored. */
export type CourseDoc = InferSchemaType<typeof courseSchema>;

courseSchema.index({ status: 1, startAt: -1 });

/** The Course model on a connection (collection `courses`). */
export function courseModel(conn: Connection) {
  return conn.model("Course", courseSchema);
}
