import type { ActionHandler } from "../../engine/actions.js";

/** Raised when a staff action runs for someone who is not staff: the engine should have refused first. */
export class NotStaffError extends Error {
  override readonly name = "NotStaffError";
  constructor() {
    super("staff action refused: not staff");
  }
}

/** Wraps a staff handler so it refuses non-staff even if a flow forgot `staff: true` (defence in depth). */
export function staffOnly(handler: ActionHandler): ActionHandler {
  return async (ctx) => {
    if (!ctx.isStaff) throw new NotStaffError();
    return handler(ctx);
  };
}

/** A flow answer as trimmed text, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
