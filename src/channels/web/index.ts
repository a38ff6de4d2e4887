/**
 * The web chat channel: builds its history store, the channel and its HTTP routes from the
 * configuration. The composition root adds the channel to the others and the routes to the
 * HTTP server.
 */
import type { Config } from "../../config.js";
import type { Database } from "../../db/database.js";
import type { Bot, Locale, Msg, OutgoingDocument } from "../../engine/messages.js";
import type { SessionStore } from "../../engine/session-store.js";
import type { ChannelMetrics } from "../shared/channel-metrics.js";
import type { Logger } from "../shared/logger.js";
import type { UpdateInbox } from "../shared/update-admission.js";
import { webRoutes } from "./routes.js";
import { sessionLocaleSetter } from "./session-locale.js";
import { cookieSecret } from "./visitor-cookie.js";
import { createWebChannel, type WebChannel } from "./web-channel.js";
import { createWebHistory } from "./web-history.js";

/** What `createWebChat` needs from the composition root. */
export interface WebChatDeps {
  config: Pick<Config, "NODE_ENV" | "WEB_COOKIE_SECRET" | "WEB_ALLOWED_ORIGINS" | "WEB_RATE_PER_MINUTE" | "WEB_IP_RATE_PER_MINUTE">;
  db: Database;
  bot: Bot;
  metrics: ChannelMetrics;
  logger: Logger;
  inbox?: UpdateInbox;
  render: (msg: Msg, locale: Locale) => string;
  defaultLocale: Locale;
  sessions: Pick<SessionStore, "read" | "write">;
  localeOf?: (key: string) => Promise<string | undefined>;
  files?: { create(doc: OutgoingDocument, owner: string, now: Date, expiresAt: Date): Promise<string>; ttlMs: number };
  now?: () => Date;
}

/** The channel and the routes the HTTP server mounts for it. */
export interface WebChat {
  channel: WebChannel;
  routes: ReturnType<typeof webRoutes>;
}

/** Builds the web chat. */
export function createWebChat(deps: WebChatDeps): WebChat {
  const { config } = deps;
  const channel = createWebChannel({
    bot: deps.bot,
    metrics: deps.metrics,
    logger: deps.logger,
    history: createWebHistory(deps.db),
    render: deps.render,
    defaultLocale: deps.defaultLocale,
    setLocale: sessionLocaleSetter(deps.sessions),
    ...(deps.localeOf ? { localeOf: deps.localeOf } : {}),
    ...(deps.inbox ? { inbox: deps.inbox } : {}),
    ...(deps.files ? { files: deps.files } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    limits: { visitorPerMinute: config.WEB_RATE_PER_MINUTE, ipPerMinute: config.WEB_IP_RATE_PER_MINUTE, socketsPerIp: Math.max(10, Math.ceil(config.WEB_IP_RATE_PER_MINUTE / 6)) },
  });
  const routes = webRoutes({
    channel,
    render: deps.render,
    defaultLocale: deps.defaultLocale,
    cookieSecret: cookieSecret(config.WEB_COOKIE_SECRET, (message) => deps.logger.warn({ channel: "web" }, message)),
    allowedOrigins: config.WEB_ALLOWED_ORIGINS,
    production: config.NODE_ENV === "production",
    httpPerMinute: config.WEB_IP_RATE_PER_MINUTE,
  });
  return { channel, routes };
}
