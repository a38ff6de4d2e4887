/**
 * The console's pages, in menu order: the menu, and which routes exist, are derived from this
 * list. A page is one file (routes) plus its views under `src/console/views/<id>/`.
 */
import type { ConsolePage } from "../define-page.js";
import { coursesPage } from "./courses.js";
import { overviewPage } from "./overview.js";
import { registrationsPage } from "./registrations.js";
import { enterprisesPage } from "./enterprises.js";
import { questionsPage } from "./questions.js";
import { staffPage } from "./staff.js";
import { privacyPage } from "./privacy.js";

/** Every console page. */
export const consolePages: readonly ConsolePage[] = [
  overviewPage,
  coursesPage,
  registrationsPage,
  enterprisesPage,
  questionsPage,
  staffPage,
  privacyPage,
];
