import type { ActionHandler } from "../../engine/actions.js";
import type { UserRef } from "../../engine/messages.js";

/** Raised when a staff action runs for someone who is not staff: the engine should have refused first. */
export class NotStaffError extends Error {
  override readonly name = "NotStaffError";
  constructor() {
    super("staff action refused: not staff");
  }
}

/** Wraps a staff handler so it refuses non-staff even if a flow forgot `staff: true` (defence in depth). For reads and menus. */
export function staffOnly(handler: ActionHandler): ActionHandler {
  return async (ctx) => {
    if (!ctx.isStaff) throw new NotStaffError();
    return handler(ctx);
  };
}

/** Asks the current staff list (a database read, no cache) whether `user` is staff right now. */
export type AuthoriseStaff = (user: UserRef) => Promise<boolean>;

/**
 * Wraps a staff handler with a side effect (a broadcast, a staff change, a course change, an
 * export): it runs only if `authorise` says the user is staff at this moment, so a member removed
 * on another process loses their rights at once, whatever that process's cache says.
 */
export function staffEffect(authorise: AuthoriseStaff, handler: ActionHandler): ActionHandler {
  return async (ctx) => {
    if (!ctx.isStaff || !(await authorise(ctx.user))) throw new NotStaffError();
    return handler(ctx);
  };
}

/** A flow answer as trimmed text, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
