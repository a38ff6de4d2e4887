/**
 * What a channel is, as one value: its name, its settings, what it can do and how it is built.
 * Each channel folder exports one `ChannelDefinition` from its `index.ts`; `src/channels/registry.ts`
 * lists them and everything else (ChannelName, config, routes, staff ids, send budgets, log
 * redaction) is derived from that list. A definition module imports only light modules: the
 * platform code (telegraf, axios…) loads inside `create`, so an unconfigured channel costs nothing.
 */
import type { Readable, Writable } from "node:stream";
import type { z } from "zod";
import type { Database } from "../../db/database.js";
import type { Bot, Locale, Msg, OutgoingDocument } from "../../engine/messages.js";
import type { SessionStore } from "../../engine/session-store.js";
import type { Channel } from "./channel.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import type { Translate } from "./commands.js";
import type { Logger } from "../../shared/logger.js";
import type { RetryOptions, SendFailure } from "./retry.js";
import type { SendGate } from "./send-gate.js";
import type { UpdateInbox } from "./update-admission.js";

/** What a channel can carry; features that belong to one platform are capabilities, not name checks. */
export interface ChannelCapabilities {
  /** Choices as buttons (else a numbered text list the user answers by typing). */
  readonly buttons: boolean;
  /** Files in the chat ("upload") or as single-use links ("link"). */
  readonly files: "upload" | "link";
  /** The longest text one message may have (longer replies are split). */
  readonly maxTextLength: number;
  /** Whether its people can be messaged unprompted (announcements, reminders): a bot account, not a web page or a local session. */
  readonly announcements: boolean;
  /**
   * A link that opens the bot with `payload` (a course code), when the platform has deep links;
   * `username` is the bot account's name, from the settings or learnt at start.
   */
  readonly deepLink?: (username: string, payload: string) => string;
}

/** Stores for a channel that keeps data of its own (a chat history, a page's language switch, file links). */
export interface ChannelServices {
  readonly db: Database;
  /** The session store (a page's language switch sets the conversation's language). */
  readonly sessions: Pick<SessionStore, "read" | "write">;
  /** The language stored for an account key `<channel>:<id>`, if any. */
  readonly localeOf: (key: string) => Promise<string | undefined>;
  /** Single-use file links (served at `/files/<token>`), and how long one works. */
  readonly fileLinks: { create(doc: OutgoingDocument, owner: string, now: Date, expiresAt: Date): Promise<string>; ttlMs: number };
  /** NODE_ENV=production. */
  readonly production: boolean;
  readonly now: () => Date;
}

/** Everything the composition root hands a channel when building it. */
export interface ChannelContext<C> {
  /** The parsed settings (at least this channel's fragment). */
  readonly config: C;
  /** The bot, already wrapped for this channel (files, course codes). */
  readonly bot: Bot;
  readonly metrics: ChannelMetrics;
  readonly logger: Logger;
  /** Durable storage of received updates (acknowledged only once stored). */
  readonly inbox?: UpdateInbox;
  /** This channel's send budget (see `sendRatePerSec`), shared with bulk sends. */
  readonly sendGate?: SendGate;
  /** The most one platform call may take (ms). */
  readonly sendTimeoutMs: number;
  /** Retry policy for replies. */
  readonly retry?: Partial<Omit<RetryOptions, "classify">>;
  /** Told when a reply finds the user gone (`userId` is the platform id, without the channel). */
  readonly onUnreachable: (userId: string, code: string) => void | Promise<void>;
  /** Renders one key (command menus). */
  readonly translate: Translate;
  /** Renders a message reference in a locale. */
  readonly render: (msg: Msg, locale: Locale) => string;
  readonly defaultLocale: Locale;
  /** The machine's console streams; only a `local` channel uses them. */
  readonly console?: { input: Readable; output: Writable };
  /** Stores a file a local channel cannot show and returns where it is. */
  readonly saveFile?: (document: OutgoingDocument) => string;
  /** The database and stores, for a channel that keeps data of its own. */
  readonly services?: ChannelServices;
}

/** A settings rule across variables, checked on the raw environment so every problem shows at once. */
export interface RequiredTogether {
  /** When this variable is set… */
  readonly when: string;
  /** …this one must be too. */
  readonly needs: string;
  /** Appended to the message, e.g. ", e.g. a random 32-character string". */
  readonly hint?: string;
}

/** One problem with one variable, ready to print (a channel's own settings check). */
export interface SettingsProblem {
  readonly variable: string;
  readonly message: string;
}

/** A webhook's settings rules: its URL needs its secret (a hint how to make one) and the bot's token. */
export function webhookRequires(prefix: string, tokenVariable: string): RequiredTogether[] {
  return [
    { when: `${prefix}_WEBHOOK_URL`, needs: `${prefix}_WEBHOOK_SECRET`, hint: ", e.g. a random 32-character string" },
    { when: `${prefix}_WEBHOOK_URL`, needs: tokenVariable },
  ];
}

/** One channel, complete. */
export interface ChannelDefinition<Name extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: Name;
  /** Its environment variables (merged into the app's config schema). */
  readonly config: z.ZodObject<Shape>;
  /** Rules across its variables (e.g. a webhook URL needs a secret). */
  readonly requiredTogether?: readonly RequiredTogether[];
  /**
   * Problems its schema cannot see, over its parsed settings (e.g. a secret needed only in
   * production, NODE_ENV=production); reported with every other settings problem at start.
   */
  check?(config: z.infer<z.ZodObject<Shape>>, production: boolean): readonly SettingsProblem[];
  /**
   * Whether it runs with these settings. A `local` channel is also told whether any other channel
   * runs (a local chat starts by default only when none does), and every channel whether it
   * runs in production (NODE_ENV=production: a default may depend on a secret being set there).
   */
  enabled(config: z.infer<z.ZodObject<Shape>>, othersEnabled: boolean, production: boolean): boolean;
  /** A user id on this platform, as in staff ids `name:id` (no anchors, no channel prefix). */
  readonly userIdPattern: string;
  readonly capabilities: ChannelCapabilities;
  /** Its send budget: messages per second for the bot account, and the gap per chat (ms). */
  sendRate(config: z.infer<z.ZodObject<Shape>>): { perSecond: number; perChatIntervalMs: number };
  /**
   * How a failed platform call counts: rate limited, recipient gone, surely not delivered (retried)
   * or maybe delivered (never retried). Reads the error by its shape, as the platform library is
   * not loaded here; the shared retry (`deliveryAttempts`) takes it from the definition.
   */
  classifyError(error: unknown): SendFailure;
  /** Request headers carrying its secrets (censored in logs). */
  readonly secretHeaders?: readonly string[];
  /** The bot account's public username (for deep links), from the settings or the running channel. */
  botUsername?(config: z.infer<z.ZodObject<Shape>>, channel: Channel | undefined): string | undefined;
  /** Runs on the machine itself (a chat on its console): built only when console streams are given. */
  readonly local?: boolean;
  /**
   * Runs beside the others without counting as a configured platform (a chat served by the bot's
   * own HTTP server): the local chat still starts by default when it is the only one on.
   */
  readonly alongside?: boolean;
  /**
   * Erases what the channel stores itself about an account (`<channel>:<id>`) whose data was
   * erased, without the channel running (the admin CLI's erasure; the running bot also calls
   * `Channel.forget`). Channels that keep nothing of their own leave it out.
   */
  forgetStored?(db: Database, key: string): Promise<void>;
  /** Builds the channel (lazily importing the platform code); nothing talks to the network until `start()`. */
  create(context: ChannelContext<z.infer<z.ZodObject<Shape>>>): Promise<Channel>;
}

/** Declares a channel; the identity function that keeps its types precise. */
export function defineChannel<const Name extends string, Shape extends z.ZodRawShape>(definition: ChannelDefinition<Name, Shape>): ChannelDefinition<Name, Shape> {
  return definition;
}
