/**
 * What a channel is, as one value: its name, its settings, what it can do and how it is built.
 * Each channel folder exports one `ChannelDefinition` from its `index.ts`; `src/channels/registry.ts`
 * lists them and everything else (ChannelName, config, routes, staff ids, send budgets, log
 * redaction) is derived from that list. A definition module imports only light modules: the
 * platform code (telegraf, axios…) loads inside `create`, so an unconfigured channel costs nothing.
 */
import type { Readable, Writable } from "node:stream";
import type { z } from "zod";
import type { Bot, Locale, Msg, OutgoingDocument } from "../../engine/messages.js";
import type { Channel } from "./channel.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import type { Translate } from "./commands.js";
import type { Logger } from "../../shared/logger.js";
import type { RetryOptions } from "./retry.js";
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
  /**
   * A link that opens the bot with `payload` (a course code), when the platform has deep links;
   * `username` is the bot account's name, from the settings or learnt at start.
   */
  readonly deepLink?: (username: string, payload: string) => string;
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
  /** Local streams (the terminal chat); only a `local` channel uses them. */
  readonly console?: { input: Readable; output: Writable };
  /** Stores a file a local channel cannot show and returns where it is. */
  readonly saveFile?: (document: OutgoingDocument) => string;
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

/** One channel, complete. */
export interface ChannelDefinition<Name extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: Name;
  /** Its environment variables (merged into the app's config schema). */
  readonly config: z.ZodObject<Shape>;
  /** Rules across its variables (e.g. a webhook URL needs a secret). */
  readonly requiredTogether?: readonly RequiredTogether[];
  /**
   * Whether it runs with these settings. A `local` channel is also told whether any other channel
   * runs (the terminal chat starts by default only when none does).
   */
  enabled(config: z.infer<z.ZodObject<Shape>>, othersEnabled: boolean): boolean;
  /** A user id on this platform, as in staff ids `name:id` (no anchors, no channel prefix). */
  readonly userIdPattern: string;
  readonly capabilities: ChannelCapabilities;
  /** Its send budget: messages per second for the bot account, and the gap per chat (ms). */
  sendRate(config: z.infer<z.ZodObject<Shape>>): { perSecond: number; perChatIntervalMs: number };
  /** Request headers carrying its secrets (censored in logs). */
  readonly secretHeaders?: readonly string[];
  /** The bot account's public username (for deep links), from the settings or the running channel. */
  botUsername?(config: z.infer<z.ZodObject<Shape>>, channel: Channel | undefined): string | undefined;
  /** Runs on the machine itself (the terminal chat): built only when console streams are given. */
  readonly local?: boolean;
  /** Builds the channel (lazily importing the platform code); nothing talks to the network until `start()`. */
  create(context: ChannelContext<z.infer<z.ZodObject<Shape>>>): Promise<Channel>;
}

/** Declares a channel; the identity function that keeps its types precise. */
export function defineChannel<const Name extends string, Shape extends z.ZodRawShape>(definition: ChannelDefinition<Name, Shape>): ChannelDefinition<Name, Shape> {
  return definition;
}
