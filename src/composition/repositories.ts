/** Every repository, built once on the open database by the composition root and handed to the services. */
import type { Database } from "../db/database.js";
import { createBroadcastsRepo } from "../db/broadcasts-repo.js";
import { createClaimsRepo } from "../db/claims-repo.js";
import { createConsoleRepo } from "../db/console-repo.js";
import { createContactsRepo } from "../db/contacts-repo.js";
import { createCourseCodesRepo } from "../db/course-codes-repo.js";
import { createCoursesRepo } from "../db/courses-repo.js";
import { createDeliveriesRepo } from "../db/deliveries-repo.js";
import { createFileLinksRepo } from "../db/file-links-repo.js";
import { createInboxRepo } from "../db/inbox-repo.js";
import { createPhrasesRepo } from "../db/phrases-repo.js";
import { createRegistrationsRepo } from "../db/registrations-repo.js";
import { createReminderSource } from "../db/reminder-source.js";
import { createRemindersRepo } from "../db/reminders-repo.js";
import { createStaffCoursesRepo } from "../db/staff-courses-repo.js";
import { createStaffRepo } from "../db/staff-repo.js";
import { createStatsRepo } from "../db/stats-repo.js";
import { createSubscriptionRepo } from "../db/subscription-repo.js";
import { createTicketsRepo } from "../db/tickets-repo.js";

/** Builds the repositories (cheap objects over the database's models; no I/O until used). */
export function createRepositories(db: Database) {
  const claims = createClaimsRepo(db);
  return {
    broadcasts: createBroadcastsRepo(db),
    claims,
    // Console sign-in links are used once through the same claims.
    console: createConsoleRepo(db, claims),
    contacts: createContactsRepo(db),
    courseCodes: createCourseCodesRepo(db),
    courses: createCoursesRepo(db),
    deliveries: createDeliveriesRepo(db),
    // Single-use file links claim through the shared claims repository.
    fileLinks: createFileLinksRepo(db, claims),
    inbox: createInboxRepo(db),
    phrases: createPhrasesRepo(db),
    registrations: createRegistrationsRepo(db),
    reminderSource: createReminderSource(db),
    reminders: createRemindersRepo(db),
    staffCourses: createStaffCoursesRepo(db),
    staff: createStaffRepo(db),
    // The console overview's read-only figures.
    stats: createStatsRepo(db),
    subscriptions: createSubscriptionRepo(db),
    tickets: createTicketsRepo(db),
  };
}

/** The repositories the services share. */
export type Repositories = ReturnType<typeof createRepositories>;
