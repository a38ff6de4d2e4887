import type { Database } from "./database.js";
import { createCoursesRepo } from "./courses-repo.js";
import { createRegistrationsRepo } from "./registrations-repo.js";

/** A registration as reminders need it. */
export interface ReminderRegistration {
  id: string;
  contactId: string;
  courseId: string;
  status: string;
}

/** A course as reminders and course notices need it. */
export interface ReminderCourse {
  id: string;
  title: { vi: string; en: string | null };
  startAt: Date;
  endAt: Date;
  status: string;
  place: string | null;
  onlineUrl: string | null;
}

/** Reads registrations and courses for reminders, over the registration repositories. */
export interface ReminderSource {
  registration(id: string): Promise<ReminderRegistration | null>;
  course(id: string): Promise<ReminderCourse | null>;
  /** Registrations of a course holding a seat. */
  confirmedOf(courseId: string): Promise<ReminderRegistration[]>;
  /** Registrations of a course still active (confirmed or waitlisted), to tell them of a change. */
  activeOf(courseId: string): Promise<ReminderRegistration[]>;
}

/** The reminder source on the project's database. */
export function createReminderSource(db: Database): ReminderSource {
  const registrations = createRegistrationsRepo(db);
  const courses = createCoursesRepo(db);
  return {
    registration: (id) => registrations.byId(id),
    course: (id) => courses.findById(id),
    async confirmedOf(courseId) {
      return (await registrations.listForCourse(courseId)).filter((r) => r.status === "confirmed");
    },
    async activeOf(courseId) {
      return (await registrations.listForCourse(courseId)).filter((r) => r.status === "confirmed" || r.status === "waitlisted");
    },
  };
}
