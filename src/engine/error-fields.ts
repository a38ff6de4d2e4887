/** Safe fields to log about an error (the database's outage classifier is `src/db/classify-error.ts`). */
import { FlowError, type FlowErrorContext } from "./flow-error.js";

/**
 * Safe fields to log about an error: its name and code, never its message (it may echo user
 * input); for a FlowError also its message and context, which hold only flow/step/action ids.
 */
export function errorFields(err: unknown): { err: string; code?: string | number; detail?: string; context?: FlowErrorContext } {
  if (!(err instanceof Error)) return { err: typeof err };
  const code = "code" in err ? err.code : undefined;
  const own = err instanceof FlowError ? { detail: err.message, context: err.context } : {};
  return { err: err.name, ...(typeof code === "string" || typeof code === "number" ? { code } : {}), ...own };
}
