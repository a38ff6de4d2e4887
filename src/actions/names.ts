import { POLICY_ACTION_NAMES } from "./policies.js";

/**
 * The names of every registered action, for flows:check (which must not build the real
 * handlers and their database dependencies). Placeholder created by the engine; the owners
 * of src/actions/ keep it in step with the ActionRegistry.
 */
export const actionNames: readonly string[] = [...POLICY_ACTION_NAMES];
