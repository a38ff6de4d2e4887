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
  /** Optional shortcuts (the main menu's choices after a one-line hint): see `Outgoing.shortcuts`. */
  shortcuts?: ReplyChoice[];
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
  /** Understands free text and the words that work at every question (wins over `answerFreeText`). */
  understanding?: Understanding;
  defaultLocale: Locale;
  /** A form idle longer than this is dropped when the user next writes (default 24 h). */
  formIdleMs?: number;
}

/** The default idle time after which a half-filled form expires. */
export const DEFAULT_FORM_IDLE_MS = 24 * 60 * 60 * 1000;

/** What the engine made of free text in this event, for the learning loop (metrics, unrecognised phrases). */
export interface UnderstoodNote {
  outcome: "understood" | "asked" | "fallback";
  /** The intent acted on or offered first, a global word as `word:<kind>`, or null. */
  intent: string | null;
  /** The text, only for a fallback (the caller scrubs it before storing). */
  text?: string;
}

/** The engine's answer to one event. */
export interface AdvanceResult<S> {
  session: S;
  replies: Reply[];
  effect?: Effect;
  understood?: UnderstoodNote;
}

/** The words that work at every question (flows/intents.yaml `globals`). */
export type GlobalWordKind = "cancel" | "back" | "menu" | "help" | "human";

/** Where an understood intent leads. */
export type IntentTarget =
  | { kind: "flow"; flow: string; step?: string }
  /** A content section or a small-talk reply: these messages, then a hint. */
  | { kind: "say"; messages: Msg[] }
  | { kind: "global"; word: GlobalWordKind }
  /** A question the plan summary does not answer: say so, offer a person and the contacts. */
  | { kind: "honest" };

/** What the matcher made of typed text. */
export type Understood =
  | { kind: "intent"; intent: string; target: IntentTarget }
  /** Two intents are close: ask "A or B?". */
  | { kind: "choose"; options: { intent: string; label: Msg }[] }
  | { kind: "none" };

/** The free-text understanding the engine is given (built once from data, pure). */
export interface Understanding {
  understand(text: string, locale: Locale): Understood;
  /** The global word the whole message is (accents, case and politeness ignored), or null. */
  globalWord(text: string): GlobalWordKind | null;
  /** "yes" or "no" for a typed answer to a yes/no question, or null. */
  yesNo(text: string): "yes" | "no" | null;
  /** An intent by id (for a pending "A or B?" choice). */
  intent(id: string): { label: Msg; target: IntentTarget } | undefined;
  /** The language a message is clearly written in, or null when unsure. */
  detectLocale(text: string): Locale | null;
  /** The configured contact lines, shown with the honest answer. */
  contact: Msg[];
}
