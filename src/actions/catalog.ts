/**
 * The registry of every action a flow may name: one line per module's definitions. The names
 * flows:check accepts are derived from it; the composition root binds the same definitions to
 * their code (each factory's return type is its definitions), so the two cannot drift.
 */
import { collectActions } from "../engine/actions.js";
import { BROADCAST_ACTIONS } from "../admin/actions/broadcast-actions.js";
import { COURSE_ACTIONS } from "../admin/actions/course-actions.js";
import { COURSE_LINK_ACTIONS } from "../admin/actions/course-link-actions.js";
import { CONSOLE_LINK_ACTIONS } from "../admin/actions/console-link-actions.js";
import { STAFF_ACTIONS } from "../admin/actions/staff-actions.js";
import { COURSE_CODE_ACTIONS } from "./course-code.js";
import { REGISTRATION_ACTIONS } from "./courses.js";
import { ENTERPRISE_ACTIONS } from "./enterprise.js";
import { HANDOFF_ACTIONS } from "./handoff.js";
import { POLICY_ACTIONS } from "./policies.js";
import { PRIVACY_ACTIONS } from "./privacy.js";

/** Every action's definition by name. */
export const ACTION_DEFS = collectActions(POLICY_ACTIONS, ENTERPRISE_ACTIONS, REGISTRATION_ACTIONS, PRIVACY_ACTIONS, COURSE_CODE_ACTIONS, HANDOFF_ACTIONS, STAFF_ACTIONS, BROADCAST_ACTIONS, COURSE_ACTIONS, COURSE_LINK_ACTIONS, CONSOLE_LINK_ACTIONS);

/** The names of every action, for flows:check (which must not build handlers and their database). */
export const actionNames: readonly string[] = Object.keys(ACTION_DEFS);

/** The actions only staff may run: flows:check keeps them out of flows everyone can use. */
export const staffActionNames: readonly string[] = actionNames.filter((name) => ACTION_DEFS[name]?.staff);
