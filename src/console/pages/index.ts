/**
 * The console's pages, in menu order: the menu, and which routes exist, are derived from this
 * list. A page is one file (routes) plus its views under `src/console/views/<id>/`.
 */
import type { ConsolePage } from "../define-page.js";
import { announcementsPage } from "./announcements.js";
import { coursesPage } from "./courses.js";
import { enterprisesPage } from "./enterprises.js";
import { overviewPage } from "./overview.js";
import { privacyPage } from "./privacy.js";
import { questionsPage } from "./questions.js";
import { registrationsPage } from "./registrations.js";
import { staffPage } from "./staff.js";

/** Every console page. */
export const consolePages: readonly ConsolePage[] = [
  overviewPage,
  coursesPage,
  registrationsPage,
  enterprisesPage,
  announcementsPage,
  questionsPage,
  staffPage,
  privacyPage,
];
