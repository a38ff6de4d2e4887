import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { renderNumberedChoices } from "../shared/numbered-choices.js";
import type { Bot, Locale, Outgoing, Sender, SendResult } from "../../engine/messages.js";

/** Options for the terminal chat; streams are injected so tests can script a conversation. */
export interface TerminalChannelOptions {
  bot: Bot;
  input: Readable;
  output: Writable;
  /** The one local user; fixed so a restart continues the same conversation. */
  userId?: string;
  /** Show a `> ` prompt (only for people typing at a TTY). */
  prompt?: boolean;
  /** The line shown under a numbered list, in the reply's language. */
  choiceHint?: (locale: Locale | undefined) => string;
  /** Stores a file the bot sends (a staff export) and returns the line that tells where it is. */
  saveDocument?: (document: NonNullable<Outgoing["document"]>, locale: Locale | undefined) => string;
  /** Called if handling a line failed outside the bot's own error boundary (a bug). */
  onError?: (error: unknown) => void;
}

/**
 * A chat on stdin/stdout using the same engine as every channel. Choices are a numbered list;
 * the user types the number or the option's words. `done` resolves once input ends and the last
 * reply has been printed.
 */
export function createTerminalChannel(options: TerminalChannelOptions) {
  const userId = options.userId ?? "local";
  const out = options.output;
  const print = (message: Outgoing) => {
    const saved = message.document && options.saveDocument ? `\n${options.saveDocument(message.document, message.locale)}` : "";
    out.write(`${formatOutgoing({ ...message, document: saved ? undefined : message.document }, options.choiceHint)}${saved}\n\n`);
  };
  let closed = false;

  const sender: Sender = {
    channel: "terminal",
    async send(target: string, message: Outgoing): Promise<SendResult> {
      if (target !== userId || closed) return { ok: false, kind: "unreachable", code: "terminal_closed" };
      print(message);
      return { ok: true };
    },
  };

  function start(): Promise<void> {
    const lines = createInterface({ input: options.input, terminal: false });
    const showPrompt = () => options.prompt && out.write("> ");
    // Lines are handled strictly one after another, as a person reads and answers.
    let chain = Promise.resolve();
    lines.on("line", (line) => {
      chain = chain.then(async () => {
        const text = line.trim();
        if (text === "") return void showPrompt();
        const replies = await options.bot.handle({ user: { channel: "terminal", userId }, kind: "text", text });
        replies.forEach(print);
        showPrompt();
      }).catch((error: unknown) => options.onError?.(error));
    });
    showPrompt();
    return new Promise((done) => {
      lines.once("close", () => {
        void chain.then(() => {
          closed = true;
          done();
        });
      });
    });
  }

  return { sender, start };
}

/** A reply as plain text: the message, then its choices as `1. label` lines and the hint. */
export function formatOutgoing(message: Outgoing, choiceHint?: (locale: Locale | undefined) => string): string {
  const parts = [renderNumberedChoices(message.text, message.choices)];
  if (message.choices?.length && choiceHint) parts.push(choiceHint(message.locale));
  if (message.document) parts.push(`[${message.document.filename}, ${message.document.content.length} bytes]`);
  return parts.join("\n");
}
