/**
 * The Telegram channel on telegraf: its parts of the shared lifecycle (`createPlatformChannel`):
 * getUpdates by offset (confirmed only past stored updates) or a webhook guarded by a secret
 * header; updates de-duplicated by update_id, queued per chat; choices as inline keyboards that
 * are marked once answered.
 */
import { Telegraf } from "telegraf";
import type { Update } from "telegraf/types";
import { LOCALES } from "../../engine/messages.js";
import { DEFAULT_SEND_TIMEOUT_MS, type ChannelOptions } from "../shared/channel.js";
import { commandMenu, type Translate } from "../shared/commands.js";
import { describeError } from "../shared/describe-error.js";
import { createPlatformChannel, type PlatformChannel } from "../shared/platform-channel.js";
import { TELEGRAM_DEFAULT_API_ROOT, TELEGRAM_SECRET_HEADER } from "./index.js";
import { secretHeader } from "../shared/webhook.js";
import { SendHealth } from "../shared/send-health.js";
import { boundCalls } from "./bounded-calls.js";
import { deliverToTelegram } from "./telegram-delivery.js";
import { createUpdateHandler } from "./telegram-update-handler.js";
import { parseTelegramUpdate } from "./telegram-update-schema.js";

/** Options for `createTelegramChannel`. */
export interface TelegramChannelOptions extends ChannelOptions {
  /** TELEGRAM_BOT_TOKEN. */
  token: string;
  /** TELEGRAM_API_ROOT (tests point it at telegram-test-api). */
  apiRoot?: string;
  /** Renders `channels:commands.*` for the per-language command menu; no menu is set without it. */
  translate?: Translate;
  /** Pause after an empty poll (default 200 ms; a real long poll is already slow, emulators are not). */
  idlePollDelayMs?: number;
}

/** The Telegram channel plus the telegraf instance (for tests and tools). */
export interface TelegramChannel extends PlatformChannel {
  readonly telegraf: Telegraf;
  /** See `PlatformChannel.handleUpdate` (the benchmark's entry). */
  handleUpdate(update: Update): Promise<"handled" | "duplicate" | "busy" | "invalid">;
}

const ALLOWED_UPDATES = ["message", "callback_query"] as const;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Creates the Telegram channel; nothing talks to the network until `start()`. */
export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const { bot, metrics, logger } = options;
  if (options.webhook && !SECRET_PATTERN.test(options.webhook.secret)) {
    throw new RangeError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -");
  }
  const sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const telegraf = new Telegraf(options.token, {
    ...(options.apiRoot ? { telegram: { apiRoot: options.apiRoot } } : {}),
    // Every call inside is bounded (sends, database); this only frees the queue place of a handler gone astray.
    handlerTimeout: (options.retry?.maxWaitMs ?? 60_000) + 6 * sendTimeoutMs,
  });
  boundCalls(telegraf.telegram, sendTimeoutMs, { apiRoot: options.apiRoot ?? TELEGRAM_DEFAULT_API_ROOT, token: options.token });
  const health = new SendHealth();
  telegraf.use(
    createUpdateHandler({
      bot,
      metrics,
      logger,
      retry: options.retry,
      onUnreachable: options.onUnreachable,
      // The bounded instance, not telegraf's per-update copy (webhook replies are not used).
      telegram: telegraf.telegram,
      gate: options.sendGate,
      health,
    }),
  );
  telegraf.catch((error) => {
    metrics.handlerError("telegram");
    logger.error({ channel: "telegram", ...describeError(error) }, "update handling failed");
  });

  // The next offset confirms everything below it (Telegram forgets those updates).
  const getUpdates = (offset: number, extra: { timeout: number; limit?: number }, signal?: AbortSignal) =>
    telegraf.telegram.callApi(
      "getUpdates",
      { offset, ...extra, allowed_updates: [...ALLOWED_UPDATES] },
      // telegraf types its signal with the abort-controller shim; Node's AbortSignal is what node-fetch takes.
      signal ? { signal: signal as unknown as NonNullable<Parameters<typeof telegraf.telegram.callApi>[2]>["signal"] } : undefined,
    );

  async function setCommands(): Promise<void> {
    const translate = options.translate;
    if (!translate) return;
    try {
      // The default menu is Vietnamese; each locale also gets its own for users with that app language.
      await telegraf.telegram.setMyCommands(commandMenu(translate, "vi"));
      for (const locale of LOCALES) {
        await telegraf.telegram.setMyCommands(commandMenu(translate, locale), { language_code: locale });
      }
    } catch (error) {
      // A missing command menu is cosmetic: keep running.
      logger.warn({ channel: "telegram", ...describeError(error) }, "setMyCommands failed");
    }
  }

  const channel = createPlatformChannel<Update>(options, {
    name: "telegram",
    label: "Telegram",
    parse: parseTelegramUpdate,
    updateId: (update) => String(update.update_id),
    chatKey,
    handle: (update) => telegraf.handleUpdate(update),
    health,
    sender: {
      channel: "telegram",
      send: (userId, message) =>
        deliverToTelegram(telegraf.telegram, userId, [message], { metrics, firstAttempts: 1, retry: options.retry, health }),
    },
    async connect() {
      telegraf.botInfo = await telegraf.telegram.getMe();
      await setCommands();
    },
    polling: {
      // Long polling and a webhook are mutually exclusive for one bot.
      prepare: async () => void (await telegraf.telegram.deleteWebhook()),
      fetch: (offset, signal) => getUpdates(offset, { timeout: options.pollTimeoutSeconds ?? 30 }, signal),
      parse: parseTelegramUpdate,
      offsetAfter: (raw) => raw.update_id + 1,
      // Telegram keeps an unconfirmed update: it comes again on the next poll.
      notStored: "poll-again",
      async confirm(offset) {
        if (!(offset > 0)) return;
        await getUpdates(offset, { timeout: 0, limit: 1 }).catch((error: unknown) =>
          logger.debug({ channel: "telegram", ...describeError(error) }, "confirming offset failed"),
        );
      },
      // A real long poll is already slow when empty; emulators answer at once.
      idleDelayMs: options.idlePollDelayMs ?? 200,
    },
    webhook: {
      ...(options.webhook ? { authorize: secretHeader(TELEGRAM_SECRET_HEADER, options.webhook.secret) } : {}),
      async register() {
        if (!options.webhook) return;
        await telegraf.telegram.setWebhook(options.webhook.url, { secret_token: options.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
      },
    },
    botUsername: () => telegraf.botInfo?.username,
  });
  return Object.assign(channel, { telegraf });
}

/** The queue key: the chat an update belongs to, so one chat's updates stay in order. */
function chatKey(update: Update): string {
  if ("message" in update) return String(update.message.chat.id);
  if ("callback_query" in update) {
    const q = update.callback_query;
    return String(q.message?.chat.id ?? q.from.id);
  }
  return "other";
}
