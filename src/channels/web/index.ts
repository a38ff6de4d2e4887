/**
 * The web chat as one channel definition: its settings, capabilities and how it is built. The
 * channel, its page, script and WebSocket (fastify plugins) load only inside `create`.
 */
import type { Channel } from "../shared/channel.js";
import { defineChannel } from "../shared/definition.js";
import { classifyThrown } from "../shared/send-outcome.js";
import { WEB_TEXT_LIMIT, webConfig } from "./settings.js";

/** The web chat: buttons that can also be typed, files as download links in the chat, served by the bot's HTTP server. */
export const web = defineChannel({
  name: "web",
  config: webConfig,
  // Beside the local chat: `npm start` with no token keeps the console chat and serves the web chat.
  alongside: true,
  // auto (default): on, except in production without WEB_COOKIE_SECRET (an upgrade must not stop a
  // running bot; WEB_CHAT=on there without the secret is a configuration error instead).
  enabled: (config, _others, production) => config.WEB_CHAT === "on" || (config.WEB_CHAT === "auto" && (!production || config.WEB_COOKIE_SECRET !== undefined)),
  // In production the visitor cookie needs a stable secret (else every restart forgets every
  // visitor); auto leaves the chat off there instead, so only an explicit "on" is refused.
  check: (config, production) =>
    production && config.WEB_CHAT === "on" && config.WEB_COOKIE_SECRET === undefined
      ? [{ variable: "WEB_COOKIE_SECRET", message: "is required in production with WEB_CHAT=on, e.g. a random 48-character string" }]
      : [],
  // Anonymous visitor ids (cookie values): 128 random bits, base64url.
  userIdPattern: "[A-Za-z0-9_-]{22}",
  // "upload": the channel itself shows a file as a single-use download link in the chat.
  capabilities: { buttons: true, files: "upload", maxTextLength: WEB_TEXT_LIMIT, announcements: false },
  // No platform in between: replies go straight to the visitor's socket or history.
  sendRate: () => ({ perSecond: 1_000, perChatIntervalMs: 0 }),
  // No platform API: a failure is the socket's or the history store's, read by its system code.
  classifyError: classifyThrown,
  // The CLI's erasure: the visitor's chat history goes too (the running chat also drops its cookie).
  async forgetStored(db, key) {
    const { createWebHistory } = await import("./web-history.js");
    await createWebHistory(db).erase(key);
  },
  async create(context): Promise<Channel> {
    const services = context.services;
    if (!services) throw new TypeError("the web chat needs the database services");
    const { createWebChat } = await import("./web-chat.js");
    return createWebChat({ ...context, ...services });
  },
});
