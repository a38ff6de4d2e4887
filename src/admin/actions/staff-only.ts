import { NotStaffError, type ActionFn, type AuthoriseStaff } from "../../engine/actions.js";

export { NotStaffError, type AuthoriseStaff };

/**
 * Wraps part of a staff handler with a side effect (e.g. `/staff add`, inside the `staff_manage`
 * read): it runs only if `authorise` says the user is staff at this moment. Whole actions say so
 * in their definition (`staff: "effect"`).
 */
export function staffEffect(authorise: AuthoriseStaff, handler: ActionFn): ActionFn {
  return async (ctx) => {
    if (!ctx.isStaff || !(await authorise(ctx.user))) throw new NotStaffError();
    return handler(ctx);
  };
}

/** A flow answer as trimmed text, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
