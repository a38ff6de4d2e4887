/** The one error type of the Zalo client. Carries no URL, so the token can never leak through it. */

/** A failed Zalo Bot API call: `errorCode` is the API's `error_code` (or the HTTP status; 0 for a network failure). */
export class ZaloApiError extends Error {
  override readonly name = "ZaloApiError";

  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    /** From `parameters.retry_after` on a 429, when the API gives one. */
    readonly retryAfterMs?: number,
    /** For a network failure (`errorCode` 0): the system code, e.g. ECONNREFUSED or ECONNRESET. */
    readonly networkCode?: string,
    /** The platform answered but the body could not be read: it may have acted. */
    readonly unreadable = false,
  ) {
    super(`Zalo ${method} failed: ${errorCode} ${description}`);
  }

  /** The quiet "nothing arrived" answer of a long poll. */
  get isPollTimeout(): boolean {
    return this.errorCode === 408;
  }
}
