/** Type guards for values read from outside the type system (parsed YAML/JSON, thrown values). */

/** Whether `value` is a non-null object, so its fields can be read (as `unknown`). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The fields of a parsed request body or query (an empty record when there are none). */
export function fieldsOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The message of a thrown value (for problem reports about files, never for logs: it may echo input). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
