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

/** Raised when a staff action runs for someone who is not staff: the engine should have refused first. */
export class NotStaffError extends Error {
  override readonly name = "NotStaffError";
  constructor() {
    super("staff action refused: not staff");
  }
}

/** What an action is apart from its code; flows:check and the runner read it without building handlers. */
export interface ActionMeta {
  /** Changes nothing outside its result (the runner may run it before the session is known to be the latest). */
  readonly readOnly?: boolean;
  /**
   * Staff only, even if a flow forgot `staff: true` (defence in depth). `read`: refused when the
   * session is not staff; `effect`: also asks the stored staff list at this moment, so a member
   * removed on another process loses the right at once.
   */
  readonly staff?: "read" | "effect";
}

/** One definition per action: its name (the key) and what it is; the module's factory binds the code. */
export type ActionDefs = Readonly<Record<string, ActionMeta>>;

/** Declares a module's actions; the names flows may use are the keys (see src/actions/catalog.ts). */
export function defineActions<const D extends ActionDefs>(defs: D): D {
  return defs;
}

/** Merges modules' definitions into one registry; a name defined twice is a start-up error. */
export function collectActions(...modules: ActionDefs[]): ActionDefs {
  const all: Record<string, ActionMeta> = {};
  for (const defs of modules) {
    for (const [name, meta] of Object.entries(defs)) {
      if (name in all) throw new Error(`action ${name} is defined twice`);
      all[name] = meta;
    }
  }
  return all;
}

/** The registry a factory returns for its definitions: exactly one handler per defined name. */
export type ActionsOf<D extends ActionDefs> = ActionRegistry & { readonly [K in keyof D]: ActionHandler };

/** An action's code, before its definition's metadata is applied. */
export type ActionFn = (ctx: ActionContext) => Promise<ActionResult>;

/** Asks the stored staff list whether `user` is staff right now (a database read, no cache). */
export type AuthoriseStaff = (user: UserRef) => Promise<boolean>;

/**
 * Binds each definition to its code once, at start-up: marks read-only handlers and wraps staff
 * ones. A handler missing or left over is a compile error.
 */
export function bindActions<D extends ActionDefs>(defs: D, handlers: { readonly [K in keyof NoInfer<D>]: ActionFn }, opts: { authorise?: AuthoriseStaff } = {}): ActionsOf<D> {
  const bound: Record<string, ActionHandler> = {};
  for (const [name, meta] of Object.entries(defs)) {
    // Object.entries forgets that its keys are D's own.
    const fn: ActionFn = handlers[name as keyof D];
    bound[name] = bindOne(name, meta, fn, opts.authorise);
  }
  return bound as ActionsOf<D>; // every key of D was bound in the loop above
}

function bindOne(name: string, meta: ActionMeta, fn: ActionFn, authorise: AuthoriseStaff | undefined): ActionHandler {
  let handler: ActionFn = fn;
  if (meta.staff === "read") handler = async (ctx) => {
    if (!ctx.isStaff) throw new NotStaffError();
    return fn(ctx);
  };
  if (meta.staff === "effect") {
    if (!authorise) throw new Error(`action ${name} changes things for staff: bindActions needs authorise`);
    handler = async (ctx) => {
      if (!ctx.isStaff || !(await authorise(ctx.user))) throw new NotStaffError();
      return fn(ctx);
    };
  }
  return meta.readOnly ? readOnly(handler) : handler;
}
