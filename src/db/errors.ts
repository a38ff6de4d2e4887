/** Database errors the rest of the app can recognise without importing the driver. */

/** Raised when the database cannot be reached; the runner answers "temporarily unavailable". */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
  constructor(
    readonly uri: string,
    options?: { cause?: unknown },
  ) {
    super(`database unreachable at ${uri}`, options);
  }
}

/** True for a duplicate-key error (a unique-index claim that someone else already holds). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === 11000;
}

/**
 * The positions of an unordered insertMany's documents that were refused as duplicates; throws
 * `error` back when it is not a write error or any failure is something else (nothing is hidden).
 */
export function duplicateIndexes(error: unknown): Set<number> {
  const raw = typeof error === "object" && error !== null && "writeErrors" in error ? error.writeErrors : undefined;
  const list: unknown[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const indexes = new Set<number>();
  for (const e of list) {
    if (!isDuplicateKey(e) || typeof e !== "object" || e === null || !("index" in e) || typeof e.index !== "number") throw error;
    indexes.add(e.index);
  }
  if (indexes.size === 0) throw error;
  return indexes;
}

/** An error's message for a start-up line (these name servers and paths, never user input). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `mongodb://user:pass@host/db` → `mongodb://***@host/db`: safe to print. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}
