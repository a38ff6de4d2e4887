/** What the engine gives each step kind's handlers and what they answer (the kinds themselves: define-step.ts). */
import type { ActionChoice } from "../actions.js";
import type { EngineDeps, Reply } from "../engine-types.js";
import type { Locale, Msg } from "../messages.js";
import type { MsgRef } from "../msg-ref.js";
import type { Session } from "../session.js";

/** What a handler can read and the helpers it may use. Pure. */
export interface StepContext {
  session: Readonly<Session>;
  deps: EngineDeps;
  locale: Locale;
  /** Resolves a MsgRef against session data/vars. */
  msg(ref: MsgRef): Msg;
  /** Renders a Msg to plain text in the session's locale. */
  label(msg: Msg): string;
  /** Picks a choice id from typed text (numbers and words, diacritics-insensitive). */
  match(text: string, choices: readonly { id: string; label: Msg }[], opts?: { numbers?: boolean; exact?: boolean }): string | null;
}

/** Changes a handler asks for; `data`/`vars` are merged (null clears a field). */
export interface SessionPatch {
  data?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  failures?: number;
  dynamic?: ActionChoice[];
  locale?: Locale;
}

/** Where to go next: a step in this flow, or a flow (at its start or a named step). */
export interface Target {
  step?: string;
  flow?: string;
  /** `enter` (from a menu choice) clears data and checks staff; `goto` keeps data. */
  via?: "goto" | "enter";
}

/** What a handler decides. */
export type StepResult =
  /** Move on (after showing `replies`). */
  | { kind: "go"; replies: Reply[]; to: Target; patch?: SessionPatch }
  /** Stay on this step; show `replies`, then the step's prompt again when `prompt` is true. */
  | { kind: "wait"; replies: Reply[]; patch?: SessionPatch; prompt: boolean }
  /** The menu's Back choice. */
  | { kind: "back" }
  /** Leave the flow: main menu or idle. */
  | { kind: "end"; replies: Reply[]; to: "menu" | "idle" }
  /** Ask the runner to run a registered action. */
  | { kind: "effect"; action: string }
  /** Free text nothing matched at a menu: the engine answers from the FAQ or falls back. */
  | { kind: "unmatched"; text: string };

/** Input at a waiting step: a (verified) choice id or typed text. */
export type StepInput = { kind: "choice"; id: string } | { kind: "text"; text: string };

/** The Msg list of one or several MsgRefs. */
export function msgs(ctx: StepContext, refs: MsgRef | MsgRef[]): Msg[] {
  return (Array.isArray(refs) ? refs : [refs]).map((r) => ctx.msg(r));
}

/** One MsgRef or a list of them, as a list. */
export function refList(refs: MsgRef | MsgRef[] | undefined): MsgRef[] {
  return refs === undefined ? [] : Array.isArray(refs) ? refs : [refs];
}
