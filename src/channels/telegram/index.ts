/**
 * The Telegram channel as one definition: settings, capabilities, send rate and how it is built.
 * telegraf loads only inside `create`, so a bot without a Telegram token never imports it.
 */
import { z } from "zod";
import { optionalString, optionalUrl, ratePerSecond } from "../../shared/config-fields.js";
import { defineChannel, webhookRequires } from "../shared/definition.js";
import { classifyTelegramError } from "./classify-telegram-error.js";

/** Telegram's text message limit. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Where the Bot API lives unless TELEGRAM_API_ROOT says otherwise (tests point it at loopback). */
export const TELEGRAM_DEFAULT_API_ROOT = "https://api.telegram.org";

/** The header Telegram puts the webhook secret in (checked by the channel, censored in logs). */
export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** A Telegram deep link that opens the bot on `payload`: `https://t.me/<bot>?start=KH12`. */
export const telegramDeepLink = (botUsername: string, payload: string) => `https://t.me/${botUsername.replace(/^@/, "")}?start=${payload}`;

/** Telegram's settings. */
const telegramConfig = z.object({
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, { message: "looks wrong; a token from @BotFather looks like 123456789:AAH…" }).optional(),
  ),
  /** The bot's @username, for course sign-up links `https://t.me/<name>?start=KH12` (also learnt from Telegram at start). */
  TELEGRAM_BOT_USERNAME: optionalString.pipe(z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/, { message: "must be the bot's username, e.g. nscl_khanhhoa_bot" }).optional()),
  TELEGRAM_API_ROOT: optionalUrl(TELEGRAM_DEFAULT_API_ROOT),
  TELEGRAM_WEBHOOK_URL: optionalUrl("https://bot.example.gov.vn/webhooks/telegram"),
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, { message: "must be 16–256 characters of A–Z, a–z, 0–9, _ or -" }).optional(),
  ),
  TELEGRAM_RATE_PER_SEC: ratePerSecond(30),
});

/** Telegram: buttons, files, deep links; polling or a webhook guarded by a secret header. */
export const telegram = defineChannel({
  name: "telegram",
  config: telegramConfig,
  requiredTogether: webhookRequires("TELEGRAM", "TELEGRAM_BOT_TOKEN"),
  enabled: (config) => config.TELEGRAM_BOT_TOKEN !== undefined,
  userIdPattern: "[A-Za-z0-9_-]{1,64}",
  capabilities: { buttons: true, files: "upload", maxTextLength: TELEGRAM_TEXT_LIMIT, deepLink: telegramDeepLink, announcements: true },
  sendRate: (config) => ({ perSecond: config.TELEGRAM_RATE_PER_SEC, perChatIntervalMs: 1_000 }),
  classifyError: classifyTelegramError,
  secretHeaders: [TELEGRAM_SECRET_HEADER],
  // Known from configuration, else from Telegram's getMe at start.
  botUsername: (config, channel) => config.TELEGRAM_BOT_USERNAME ?? channel?.botUsername,
  async create(context) {
    const { config } = context;
    const { createTelegramChannel } = await import("./telegram-channel.js");
    return createTelegramChannel({
      token: config.TELEGRAM_BOT_TOKEN ?? "",
      ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
      ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } } : {}),
      ...(context.inbox ? { inbox: context.inbox } : {}),
      ...(context.sendGate ? { sendGate: context.sendGate } : {}),
      ...(context.retry ? { retry: context.retry } : {}),
      bot: context.bot,
      metrics: context.metrics,
      logger: context.logger,
      translate: context.translate,
      sendTimeoutMs: context.sendTimeoutMs,
      onUnreachable: context.onUnreachable,
    });
  },
});
