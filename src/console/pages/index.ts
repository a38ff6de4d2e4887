/**
 * The console's pages, in menu order: the menu, and which routes exist, are derived from this
 * list. A page is one file (routes) plus its views under `src/console/views/<id>/`.
 */
import type { ConsolePage } from "../define-page.js";
import { announcementsPage } from "./announcements.js";
import { overviewPage } from "./overview.js";

/** Every console page. */
export const consolePages: readonly ConsolePage[] = [
  overviewPage,
  announcementsPage,
];
