/** Channel-neutral values the engine produces and consumes (no I/O here). */
import type { ActionResult } from "./actions.js";
import type { Incoming, Locale, Msg, OutgoingDocument } from "./messages.js";
import type { ValidatorRegistry } from "./validation.js";

/** One choice in a reply; `id` is the callback id the channel sends back. */
export interface ReplyChoice {
  id: string;
  label: Msg;
}

/** One bubble from the bot: its paragraphs (joined when rendered), optional choices and file. */
export interface Reply {
  text: Msg[];
  choices?: ReplyChoice[];
  document?: OutgoingDocument;
}

/** What `advance` reacts to: an update from the user, or the result of an action it asked for. */
export type EngineEvent =
  | { type: "incoming"; incoming: Incoming; isStaff: boolean }
  | { type: "action_result"; result: ActionResult; isStaff: boolean };

/** A side effect the runner must perform and feed back as an `action_result` event. */
export interface Effect {
  action: string;
}

/** Free-text answerer (H2's FAQ matcher): the messages answering `text`, or null if nothing fits. */
export type AnswerFreeText = (text: string, locale: Locale) => Msg[] | null;

/** Picks a choice from typed text; returns the choice id or null. */
export type MatchLabel = (text: string, options: readonly { id: string; label: string }[], opts?: { numbers?: boolean; exact?: boolean }) => string | null;

/** Pure values and functions the engine needs. */
export interface EngineDeps {
  validators: ValidatorRegistry;
  /** The current time, for timestamps, idle expiry and validators. */
  now: Date;
  /** IANA time zone (config TZ_NAME), passed to validators. */
  timeZone: string;
  /** Renders a Msg to text (used to match typed words against labels). */
  label: (msg: Msg, locale: Locale) => string;
  /** Overrides the default number/words matcher. */
  matchLabel?: MatchLabel;
  answerFreeText?: AnswerFreeText;
  defaultLocale: Locale;
  /** A form idle longer than this is dropped when the user next writes (default 24 h). */
  formIdleMs?: number;
}

/** The default idle time after which a half-filled form expires. */
export const DEFAULT_FORM_IDLE_MS = 24 * 60 * 60 * 1000;

/** The engine's answer to one event. */
export interface AdvanceResult<S> {
  session: S;
  replies: Reply[];
  effect?: Effect;
}
