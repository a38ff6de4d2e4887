/**
 * Training courses and the pure rules around registering for one: whether registration is
 * open, seats left, waitlist positions. Times are UTC `Date`s; showing them in
 * Asia/Ho_Chi_Minh is the renderer's job.
 */
import { z } from "zod";

/** A course's life cycle: staff close registration or cancel the course. */
export const COURSE_STATUSES = ["open", "closed", "cancelled"] as const;
/** Who a course is for. */
export const COURSE_AUDIENCES = ["leaders", "workers", "officials"] as const;

/** A course status. */
export const courseStatusSchema = z.enum(COURSE_STATUSES);
/** A course audience. */
export const courseAudienceSchema = z.enum(COURSE_AUDIENCES);
/** One of `COURSE_STATUSES`. */
export type CourseStatus = z.infer<typeof courseStatusSchema>;
/** One of `COURSE_AUDIENCES`. */
export type CourseAudience = z.infer<typeof courseAudienceSchema>;

const localizedText = (max: number) =>
  z.object({ vi: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max).optional() });

/** What it takes to create a course (staff or the seed); the single source of the course type. */
export const courseInputSchema = z
  .object({
    title: localizedText(200),
    description: localizedText(2000),
    startAt: z.coerce.date(),
    endAt: z.coerce.date(),
    place: z.string().trim().min(1).max(300).optional(),
    onlineUrl: z.url({ protocol: /^https?$/ }).optional(),
    capacity: z.number().int().min(1).max(10_000),
    deadline: z.coerce.date(),
    audience: z.array(courseAudienceSchema).min(1),
    status: courseStatusSchema.default("open"),
  })
  .refine((c) => c.endAt > c.startAt, { message: "endAt must be after startAt", path: ["endAt"] })
  .refine((c) => c.deadline <= c.startAt, { message: "deadline must not be after startAt", path: ["deadline"] })
  .refine((c) => c.place !== undefined || c.onlineUrl !== undefined, { message: "a place or an online link is required", path: ["place"] });

/** A course as staff enter it. */
export type CourseInput = z.infer<typeof courseInputSchema>;

/** The facts registration rules need about a course. */
export interface CourseGate {
  status: CourseStatus;
  deadline: Date;
}

/** Why registration is refused; each is an action outcome and a `courses:register.<outcome>` message. */
export type RegistrationRefusal = "closed" | "cancelled" | "deadline_passed";

/** Whether someone may register now: open status and the deadline not passed (the deadline minute itself counts). */
export function registrationGate(course: CourseGate, now: Date): { ok: true } | { ok: false; refusal: RegistrationRefusal } {
  if (course.status === "cancelled") return { ok: false, refusal: "cancelled" };
  if (course.status === "closed") return { ok: false, refusal: "closed" };
  if (now.getTime() > course.deadline.getTime()) return { ok: false, refusal: "deadline_passed" };
  return { ok: true };
}

/** Seats not yet taken (never negative: staff may lower capacity below seats already given). */
export function seatsLeft(capacity: number, taken: number): number {
  return Math.max(0, capacity - taken);
}

/**
 * Seat numbers 1..capacity not in `taken`, ascending; none while as many seats as the capacity
 * are held (after staff lowered the capacity, seats above it stay held: nobody is un-seated,
 * and a seat freed below it is not given again until fewer than `capacity` are held).
 */
export function freeSeatNumbers(capacity: number, taken: Iterable<number>): number[] {
  const used = new Set(taken);
  if (used.size >= capacity) return [];
  const free: number[] = [];
  for (let n = 1; n <= capacity; n++) if (!used.has(n)) free.push(n);
  return free;
}

/** The place in line a waiting person sees: 1 + how many still waiting claimed a lower position. */
export function waitlistRank(waitingPositions: Iterable<number>, mine: number): number {
  let ahead = 0;
  for (const p of waitingPositions) if (p < mine) ahead++;
  return ahead + 1;
}

/** The new end of a course moved to `newStart`: the same duration as before. */
export function keepDuration(oldStart: Date, oldEnd: Date, newStart: Date): Date {
  return new Date(newStart.getTime() + (oldEnd.getTime() - oldStart.getTime()));
}
