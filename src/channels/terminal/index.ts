/**
 * The terminal chat as a channel definition: a local channel on stdin/stdout, started when asked
 * for (`TERMINAL=on`) or, by default, when no other channel runs.
 */
import { z } from "zod";
import type { Channel } from "../shared/channel.js";
import { defineChannel } from "../shared/definition.js";
import { classifyThrown } from "../shared/send-outcome.js";
import { errorFields } from "../../shared/error-fields.js";

/** The terminal chat's settings. */
const terminalConfig = z.object({
  /** Run the terminal chat even when a channel token is set. */
  TERMINAL: z.enum(["auto", "on", "off"], { message: "must be auto, on or off" }).default("auto"),
});

/** The terminal chat: numbered choices, files saved to disk, no send limit worth the name. */
export const terminal = defineChannel({
  name: "terminal",
  config: terminalConfig,
  local: true,
  enabled: (config, othersEnabled) => config.TERMINAL === "on" || (config.TERMINAL === "auto" && !othersEnabled),
  userIdPattern: "[A-Za-z0-9_-]{1,64}",
  capabilities: { buttons: false, files: "upload", maxTextLength: Number.MAX_SAFE_INTEGER, announcements: false },
  sendRate: () => ({ perSecond: 1_000, perChatIntervalMs: 0 }),
  // No platform API: whatever fails is local, read by its system code.
  classifyError: classifyThrown,
  async create(context): Promise<Channel> {
    const streams = context.console;
    if (!streams) throw new TypeError("the terminal chat needs console streams");
    const { createTerminalChannel } = await import("./terminal-channel.js");
    const { render, defaultLocale, saveFile } = context;
    const chat = createTerminalChannel({
      bot: context.bot,
      input: streams.input,
      output: streams.output,
      prompt: "isTTY" in streams.input && streams.input.isTTY === true,
      choiceHint: (locale) => render({ key: "channels:choose_hint" }, locale ?? defaultLocale),
      ...(saveFile ? { saveDocument: (document, locale) => render({ key: "channels:document_saved", params: { path: saveFile(document) } }, locale ?? defaultLocale) } : {}),
      onError: (error) => context.logger.error(errorFields(error), "terminal line failed"),
    });
    let running = false;
    let done: Promise<void> | undefined;
    return {
      name: "terminal",
      mode: "local",
      sender: chat.sender,
      get running() {
        return running;
      },
      get notReady() {
        return running ? undefined : "not_running";
      },
      get done() {
        return done;
      },
      async start() {
        running = true;
        done = chat.start().finally(() => {
          running = false;
        });
      },
      async stop() {
        running = false;
      },
      replay: async () => false,
    };
  },
});
