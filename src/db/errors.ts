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
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === 11000;
}

/** `mongodb://user:pass@host/db` → `mongodb://***@host/db`: safe to print. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}
