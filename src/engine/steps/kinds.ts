/**
 * Every step kind, in one list: the flow schema, the `type:` names and dispatch are derived
 * from it. Adding a kind is one file in this folder and one line here.
 */
import { actionStep } from "./action.js";
import { askStep } from "./ask.js";
import { confirmStep } from "./confirm.js";
import { endStep } from "./end.js";
import { gotoStep } from "./goto.js";
import { menuStep } from "./menu.js";
import { sayStep } from "./say.js";

/** The step kinds (order is only the order of schema error messages). */
export const STEP_KINDS = [sayStep, menuStep, askStep, confirmStep, actionStep, gotoStep, endStep] as const;
