/**
 * The web chat's WebSocket protocol: JSON text frames. The browser sends text, button presses
 * and language changes, each message with an id of its own (so a resend after a reconnect is
 * recognised); the bot answers with acknowledgements, messages, a typing indicator and errors.
 */
import { z } from "zod";
import { LOCALES, type Locale } from "../../engine/messages.js";

/** The largest frame a browser may send (bytes); larger frames close the socket. */
export const MAX_FRAME_BYTES = 8 * 1024;
/** The longest text a visitor may type in one message (characters). */
export const MAX_TEXT_CHARS = 2_000;

const messageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const locale = z.enum(LOCALES);
const localeHint = z.string().max(35).optional();

/** A frame from the browser. */
export const clientFrameSchema = z.discriminatedUnion("t", [
  z.object({ t: z.literal("text"), id: messageId, text: z.string().min(1).max(MAX_TEXT_CHARS), lang: localeHint }).strict(),
  z.object({ t: z.literal("choice"), id: messageId, choiceId: z.string().regex(/^[\x21-\x7e]{1,32}$/), label: z.string().max(200).optional(), lang: localeHint }).strict(),
  z.object({ t: z.literal("locale"), locale }).strict(),
]);

/** A parsed frame from the browser. */
export type ClientFrame = z.infer<typeof clientFrameSchema>;
/** A frame that carries a message to the bot (stored in the inbox before it is acknowledged). */
export type MessageFrame = Extract<ClientFrame, { t: "text" | "choice" }>;

/** A button the page shows (a choice, or a shortcut). */
export interface FrameChoice {
  id: string;
  label: string;
}

/** One message as the page shows it, live or from the history. */
export interface ChatEntry {
  from: "bot" | "user";
  text: string;
  /** A question's choices (buttons; they can be typed too). Only the latest message's are live. */
  choices?: FrameChoice[];
  /** Optional shortcuts shown as buttons. */
  shortcuts?: FrameChoice[];
  /** A file offered as a single-use download link (relative to the bot's address). */
  file?: { name: string; url: string; label: string };
  locale?: Locale;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A frame from the bot. */
export type ServerFrame =
  | { t: "hello"; history: ChatEntry[]; locale?: Locale; persistent: boolean }
  | { t: "ack"; id: string }
  | { t: "msg"; entry: ChatEntry }
  | { t: "typing"; on: boolean }
  | { t: "locale"; locale: Locale }
  | { t: "error"; code: ErrorCode; text: string; id?: string }
  | { t: "erased" };

/** Why a frame was refused; each has a localized text under `web:errors.<code>`. */
export type ErrorCode = "bad_frame" | "rate_limited" | "busy";

/** Parses one raw frame; undefined when it is not valid JSON or not a known frame. */
export function parseClientFrame(raw: string): ClientFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = clientFrameSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
