/** The one error the engine throws: a bug in the flows or an action, never something a user did. */

/** Safe details of a FlowError: ids and names only, never user text. */
export type FlowErrorContext = Readonly<Record<string, string | number>>;

/** A flow or action bug (unknown step, unmapped outcome, loop…); `context` is safe to log. */
export class FlowError extends Error {
  override readonly name = "FlowError";
  constructor(message: string, readonly context: FlowErrorContext = {}) {
    super(message);
  }
}
