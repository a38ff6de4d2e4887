/**
 * The contract between flow files and TypeScript: an `action` step names a handler registered
 * here. Handlers are where side effects happen (database, jobs); they are created by
 * factories that receive their dependencies (repositories, clock), so the engine stays pure.
 */
import type { Locale, Msg, OutgoingDocument, UserRef } from "./messages.js";

/** A dynamic choice produced by an action (e.g. one open course); `label` is rendered by i18n. */
export interface ActionChoice {
  id: string;
  label: Msg;
}

/** What an action handler receives. Read-only: handlers return changes, they never mutate. */
export interface ActionContext {
  user: UserRef;
  locale: Locale;
  /** Answers collected by the current flow (`store:` of ask/menu steps). */
  data: Readonly<Record<string, unknown>>;
  /** Values set by earlier actions in this session (e.g. the selected course id). */
  vars: Readonly<Record<string, unknown>>;
  now: Date;
  isStaff: boolean;
}

/** What an action handler returns. Errors a user can cause are outcomes, not exceptions. */
export interface ActionResult {
  /** Picks the next step through the step's `on:` map; "ok" when omitted. */
  outcome?: string;
  /** Merged into the session's `data` (use `null` to clear a field). */
  data?: Record<string, unknown>;
  /** Merged into the session's `vars`. */
  vars?: Record<string, unknown>;
  /** Messages shown before the flow moves on. */
  say?: Msg[];
  /** Choices for the next `menu` step that declares dynamic choices. */
  choices?: ActionChoice[];
  /** A file to send along (staff exports). */
  document?: OutgoingDocument;
}

/**
 * A named handler that an `action` step can call. Throwing means a bug or an outage.
 * `readOnly` (set with `readOnly()`) says it changes nothing outside its result.
 */
export type ActionHandler = ((ctx: ActionContext) => Promise<ActionResult>) & { readonly readOnly?: true };

/**
 * Marks a handler that only reads or computes. The runner may run it on a session another
 * process has since moved on from (the save that follows catches that and the update runs
 * again); anything else waits until the session is known to be the latest.
 */
export function readOnly(handler: (ctx: ActionContext) => Promise<ActionResult>): ActionHandler {
  return Object.assign(handler, { readOnly: true as const });
}

/** All handlers by name; flows:check rejects a flow naming one that is not here. */
export type ActionRegistry = Readonly<Record<string, ActionHandler>>;
