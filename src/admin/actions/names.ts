import { BROADCAST_ACTION_NAMES } from "./broadcast-actions.js";
import { COURSE_ACTION_NAMES } from "./course-actions.js";
import { COURSE_LINK_ACTION_NAMES } from "./course-link-actions.js";
import { STAFF_ACTION_NAMES } from "./staff-actions.js";

/** Every action the staff module registers (for flows:check). */
export const STAFF_MODULE_ACTION_NAMES: readonly string[] = [...STAFF_ACTION_NAMES, ...BROADCAST_ACTION_NAMES, ...COURSE_ACTION_NAMES, ...COURSE_LINK_ACTION_NAMES];
