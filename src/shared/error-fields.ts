/**
 * The one way to turn a thrown value into log fields: its name and code only, never its message
 * (it may echo user input, personal data or a URL carrying a token).
 */

/** Safe details of an engine FlowError: ids and names only. */
type SafeContext = Readonly<Record<string, string | number>>;

/** Log fields for an error: `err` (its name), `code` when it has one; a FlowError adds its id-only detail and context. */
export function errorFields(error: unknown): { err: string; code?: string | number; detail?: string; context?: SafeContext } {
  if (!(error instanceof Error)) return { err: typeof error };
  // Platform errors add `code`/`errorCode`; the engine's FlowError adds `context` (its own type, checked by name below).
  const e: Error & { code?: unknown; errorCode?: unknown; context?: SafeContext } = error;
  const code = e.errorCode ?? e.code;
  // The engine's FlowError carries only flow, step and action ids (see src/engine/flow-error.ts).
  const own = e.name === "FlowError" ? { detail: e.message, ...(e.context ? { context: e.context } : {}) } : {};
  return { err: e.name, ...(typeof code === "string" || typeof code === "number" ? { code } : {}), ...own };
}
