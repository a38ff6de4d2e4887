import { STAFF_MODULE_ACTION_NAMES } from "../admin/actions/names.js";
import { HANDOFF_ACTION_NAMES } from "./handoff.js";
import { COURSE_CODE_ACTION_NAMES } from "./course-code.js";
import { POLICY_ACTION_NAMES } from "./policies.js";
import { ENTERPRISE_ACTION_NAMES, PRIVACY_ACTION_NAMES, REGISTRATION_ACTION_NAMES } from "./registration-names.js";

/**
 * The names of every registered action, for flows:check (which must not build the real
 * handlers and their database dependencies). The owners of src/actions/ keep it in step with
 * the ActionRegistry (test/actions checks each factory against it).
 */
export const actionNames: readonly string[] = [...POLICY_ACTION_NAMES, ...ENTERPRISE_ACTION_NAMES, ...REGISTRATION_ACTION_NAMES, ...PRIVACY_ACTION_NAMES, ...COURSE_CODE_ACTION_NAMES, ...STAFF_MODULE_ACTION_NAMES, ...HANDOFF_ACTION_NAMES];
