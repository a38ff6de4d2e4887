/**
 * The Zalo Bot channel as one definition: settings, capabilities, send rate and how it is built.
 * axios loads only inside `create`, so a bot without a Zalo token never imports it.
 */
import { z } from "zod";
import { optionalString, optionalUrl, ratePerSecond } from "../../shared/config-fields.js";
import { defineChannel, webhookRequires } from "../shared/definition.js";
import { classifyZaloError } from "./classify-zalo-error.js";

/** Zalo's `sendMessage` text limit. */
export const ZALO_TEXT_LIMIT = 2000;

/** The header Zalo puts the webhook secret in (checked by the channel, censored in logs). */
export const ZALO_SECRET_HEADER = "x-bot-api-secret-token";

/** Zalo's settings. */
const zaloConfig = z.object({
  ZALO_BOT_TOKEN: optionalString.pipe(
    z.string().regex(/^[^\s:]+:[^\s]+$/, { message: "looks wrong; a Zalo bot token looks like <bot_id>:<secret>" }).optional(),
  ),
  ZALO_API_BASE: optionalUrl("https://bot-api.zaloplatforms.com").default("https://bot-api.zaloplatforms.com"),
  ZALO_WEBHOOK_URL: optionalUrl("https://bot.example.gov.vn/webhooks/zalo"),
  ZALO_WEBHOOK_SECRET: optionalString.pipe(
    z.string().min(8, { message: "must be 8–256 characters" }).max(256, { message: "must be 8–256 characters" }).optional(),
  ),
  ZALO_RATE_PER_SEC: ratePerSecond(10),
});

/** Zalo: typed choices (no buttons), files as links; polling or a webhook guarded by a secret header. */
export const zalo = defineChannel({
  name: "zalo",
  config: zaloConfig,
  requiredTogether: webhookRequires("ZALO", "ZALO_BOT_TOKEN"),
  enabled: (config) => config.ZALO_BOT_TOKEN !== undefined,
  userIdPattern: "[A-Za-z0-9_-]{1,64}",
  capabilities: { buttons: false, files: "link", maxTextLength: ZALO_TEXT_LIMIT, announcements: true },
  sendRate: (config) => ({ perSecond: config.ZALO_RATE_PER_SEC, perChatIntervalMs: 1_000 }),
  classifyError: classifyZaloError,
  secretHeaders: [ZALO_SECRET_HEADER],
  async create(context) {
    const { config } = context;
    const { createZaloChannel } = await import("./zalo-channel.js");
    return createZaloChannel({
      token: config.ZALO_BOT_TOKEN ?? "",
      apiBase: config.ZALO_API_BASE,
      ...(config.ZALO_WEBHOOK_URL && config.ZALO_WEBHOOK_SECRET ? { webhook: { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET } } : {}),
      ...(context.inbox ? { inbox: context.inbox } : {}),
      ...(context.sendGate ? { sendGate: context.sendGate } : {}),
      ...(context.retry ? { retry: context.retry } : {}),
      bot: context.bot,
      metrics: context.metrics,
      logger: context.logger,
      sendTimeoutMs: context.sendTimeoutMs,
      onUnreachable: context.onUnreachable,
    });
  },
});
