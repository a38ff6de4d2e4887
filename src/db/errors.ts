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

const unavailableNames = new Set([
  "MongoServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoNotConnectedError",
  "MongoTopologyClosedError",
  "MongoPoolClearedError",
  "DatabaseUnavailableError",
]);

/** True when an error means "the database is down", as opposed to a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const name = (e as { name?: unknown }).name;
    if (typeof name === "string" && unavailableNames.has(name)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** True for a duplicate-key error (a unique-index claim that someone else already holds). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === 11000;
}

/** `mongodb://user:pass@host/db` → `mongodb://***@host/db`: safe to print. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, "//***@");
}
