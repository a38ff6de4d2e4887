/**
 * Builds the web chat from its definition's context: the history store, the channel, and its
 * HTTP routes (`Channel.http`, mounted by the bot's HTTP server).
 */
import type { ChannelContext, ChannelServices } from "../shared/definition.js";
import { webRoutes } from "./routes.js";
import type { WebConfig } from "./settings.js";
import { sessionLocaleSetter } from "./session-locale.js";
import { cookieSecret } from "./visitor-cookie.js";
import { createWebChannel, type WebChannel } from "./web-channel.js";
import { createWebHistory } from "./web-history.js";

/** The web chat channel with its routes. */
export type WebChat = WebChannel & { readonly http: ReturnType<typeof webRoutes>; readonly page: string };

/** Builds the web chat. */
export function createWebChat(context: ChannelContext<WebConfig> & ChannelServices): WebChat {
  const { config } = context;
  const channel = createWebChannel({
    bot: context.bot,
    metrics: context.metrics,
    logger: context.logger,
    history: createWebHistory(context.db),
    render: context.render,
    defaultLocale: context.defaultLocale,
    setLocale: sessionLocaleSetter(context.sessions),
    localeOf: context.localeOf,
    ...(context.inbox ? { inbox: context.inbox } : {}),
    files: context.fileLinks,
    now: context.now,
    limits: { visitorPerMinute: config.WEB_RATE_PER_MINUTE, ipPerMinute: config.WEB_IP_RATE_PER_MINUTE, socketsPerIp: Math.max(10, Math.ceil(config.WEB_IP_RATE_PER_MINUTE / 6)) },
  });
  const http = webRoutes({
    channel,
    render: context.render,
    defaultLocale: context.defaultLocale,
    cookieSecret: cookieSecret(config.WEB_COOKIE_SECRET, (message) => context.logger.warn({ channel: "web" }, message)),
    allowedOrigins: config.WEB_ALLOWED_ORIGINS,
    production: context.production,
    httpPerMinute: config.WEB_IP_RATE_PER_MINUTE,
  });
  return Object.assign(channel, { http, page: "/chat" });
}
