/**
 * The channel-neutral vocabulary shared by the engine, the runner and every channel adapter.
 * Channels translate platform updates into `Incoming` and render `Outgoing`; nothing here
 * knows which channels exist.
 */
import type { I18nKey } from "../i18n/keys.gen.js";

export type { I18nKey };

/** Where a user talks to the bot: a registered channel's name (the list is `src/channels/registry.ts`). */
export type ChannelName = string;

/** Languages the bot speaks; `vi` is the default. */
export type Locale = "vi" | "en";
export const LOCALES = ["vi", "en"] as const satisfies readonly Locale[];

/** Whether `value` is one of the bot's languages (a stored or configured value read back). */
export function isLocale(value: unknown): value is Locale {
  return LOCALES.some((l) => l === value);
}

/** A user across the whole system: (channel, platform user id). Ids are strings everywhere. */
export interface UserRef {
  channel: ChannelName;
  userId: string;
}

/** The session/contact key for a user (`channel:userId`), defined once in src/shared/. */
export { userKey } from "../shared/user-key.js";

/** A piece of user-visible text before rendering: an i18n key (`ns:path`) plus interpolation values. */
export interface Msg {
  /** A key the locales define: one that does not exist is a compile error (see src/i18n/keys.gen.ts). */
  key: I18nKey;
  params?: Record<string, string | number | Date>;
}

/** What a channel hands the bot for one platform update. */
export interface Incoming {
  user: UserRef;
  /** `text`: typed text (commands start with "/"); `choice`: a pressed button; `unsupported`: image, sticker… */
  kind: "text" | "choice" | "unsupported";
  text?: string;
  /** The id of a pressed button, exactly as issued in an earlier `OutgoingChoice.id`. */
  choiceId?: string;
  /** The platform's language guess for a new user (e.g. a platform's `language_code`). */
  localeHint?: string;
  /** Display name from the platform. Personal data: never log it. */
  displayName?: string;
  /**
   * The update's durable key (`channel:updateId`, the inbox key) when the channel has one: an
   * update handled again under the same key (a replay after a crash) gets the replies it got
   * the first time instead of running again.
   */
  updateKey?: string;
}

/** One choice as a channel shows it: a button where the channel has buttons, a numbered line elsewhere. */
export interface OutgoingChoice {
  /** Short id (<= 32 ASCII chars) that comes back as `Incoming.choiceId`. */
  id: string;
  label: string;
}

/** A file sent to the user (e.g. a CSV export for staff). */
export interface OutgoingDocument {
  filename: string;
  mimeType: string;
  content: Buffer;
  /** Text sent with the file itself (set by the channel's file delivery), so it arrives only with the file. */
  caption?: string;
}

/** One rendered message from the bot to a user. */
export interface Outgoing {
  text: string;
  /** The language it was rendered in, for channel-added text such as "type a number". */
  locale?: Locale;
  choices?: OutgoingChoice[];
  /**
   * Optional shortcuts, not a question: show them as buttons where the platform has buttons,
   * omit them otherwise (never a numbered list). A press comes back
   * as `Incoming.choiceId` like any choice; typed text never refers to them.
   */
  shortcuts?: OutgoingChoice[];
  document?: OutgoingDocument;
}

/** The bot as channels see it: one incoming update in, the replies out, in order. */
export interface Bot {
  handle(incoming: Incoming): Promise<Outgoing[]>;
}

/** The result of pushing a message to a user outside a conversation (reminders, broadcasts). */
export type SendResult =
  | { ok: true }
  /** The platform asked us to slow down: wait `retryAfterMs`, then send the same message again. */
  | { ok: false; kind: "rate_limited"; retryAfterMs: number }
  /** Permanent for this recipient (blocked the bot, chat not found): do not retry. */
  | { ok: false; kind: "unreachable"; code: string }
  /** Not delivered (connection refused, DNS, a 4xx rejection): safe to retry with backoff. */
  | { ok: false; kind: "transient"; code: string }
  /**
   * The platform may have delivered it (timeout or reset after the request was written, a 5xx):
   * never retried automatically; bulk sends record it "in doubt".
   */
  | { ok: false; kind: "unknown"; code: string };

/** Pushes messages to users of one channel. Implemented by each channel adapter. */
export interface Sender {
  readonly channel: ChannelName;
  send(userId: string, message: Outgoing): Promise<SendResult>;
}

/** Sends messages to a known user outside a conversation, rendered in the user's own language. */
export interface Notifier {
  notify(user: UserRef, messages: Msg[]): Promise<SendResult>;
}
