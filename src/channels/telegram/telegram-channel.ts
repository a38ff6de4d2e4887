/**
 * The Telegram channel on telegraf: long polling (our own loop, so one slow update never holds
 * up the next batch) or webhook; updates de-duplicated by update_id, handled in order per chat
 * and concurrently across chats; choices as inline keyboards that are marked once answered.
 */
import { Telegraf } from "telegraf";
import type { Update } from "telegraf/types";
import { LOCALES, type Sender } from "../../engine/messages.js";
import { channelNotReady, DEFAULT_CONCURRENCY, DEFAULT_SEND_TIMEOUT_MS, type Channel, type ChannelOptions } from "../shared/channel.js";
import { commandMenu, type Translate } from "../shared/commands.js";
import { describeError } from "../shared/describe-error.js";
import { drainQueue, KeyedQueue } from "../../shared/keyed-queue.js";
import { pollUntilAborted } from "../shared/poll-loop.js";
import { createUpdateAdmission } from "../shared/update-admission.js";
import { TELEGRAM_SECRET_HEADER } from "./index.js";
import { secretHeader, type WebhookReceiver } from "../shared/webhook.js";
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
export interface TelegramChannel extends Channel {
  readonly telegraf: Telegraf;
  /**
   * Takes one update the way a webhook delivery is taken (de-duplication, the shared claim, the
   * per-chat queue with its bounded concurrency) and resolves once it has been handled; for
   * tests and the benchmark, which have no HTTP in front.
   */
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
  boundCalls(telegraf.telegram, sendTimeoutMs);
  const health = new SendHealth();
  const maxPending = options.maxPending ?? 1_000;
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

  const admission = createUpdateAdmission({ channel: "telegram", metrics, logger, inbox: options.inbox });
  const queue = new KeyedQueue({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxPending,
    onError: (error) => logger.error({ channel: "telegram", ...describeError(error) }, "queued task failed"),
  });
  let abort: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let running = false;

  /** Queues an admitted update behind earlier ones of the same chat; the inbox hears when it was handled. */
  function enqueue(update: Update, handled?: () => void): void {
    const id = String(update.update_id);
    // Admission already checked for room (webhooks) or the poller waited for it: never refuse here.
    queue.push(chatKey(update), () => telegraf.handleUpdate(update).finally(() => admission.done(id)).finally(handled), true);
  }

  /** Checks a body at the edge: an update the bot can trust, or undefined (counted and logged, no content). */
  function parse(body: unknown, source: "webhook" | "polling"): Update | undefined {
    const update = parseTelegramUpdate(body);
    if (update) return update;
    metrics.updateInvalid("telegram");
    if (source === "webhook") metrics.webhookRejected("telegram", "invalid");
    logger.warn({ channel: "telegram", source }, "update refused: not a valid Telegram update");
    return undefined;
  }

  // The next update_id to ask for; Telegram forgets updates below it (they count as confirmed).
  let offset = 0;

  function pollLoop(signal: AbortSignal): Promise<void> {
    return pollUntilAborted({
      signal,
      waitForRoom: (s) => queue.hasSpace(s),
      async poll(s) {
        const updates = await telegraf.telegram.callApi(
          "getUpdates",
          { offset, timeout: options.pollTimeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
          // telegraf types its signal with the abort-controller shim; Node's AbortSignal is what node-fetch takes.
          { signal: s as unknown as NonNullable<Parameters<typeof telegraf.telegram.callApi>[2]>["signal"] },
        );
        // The next offset confirms everything below it: it moves only past updates that are
        // stored in the inbox (or refused as invalid), so a crash loses none of them.
        const verdicts = await Promise.all(
          updates.map(async (raw) => {
            const update = parse(raw, "polling");
            if (!update) return "invalid" as const;
            const verdict = await admission.admit(String(update.update_id), update);
            if (verdict === "new") enqueue(update);
            return verdict;
          }),
        );
        const firstBusy = verdicts.indexOf("busy");
        const confirmed = firstBusy === -1 ? updates : updates.slice(0, firstBusy);
        for (const update of confirmed) offset = Math.max(offset, update.update_id + 1);
        if (firstBusy !== -1) throw new Error("updates could not be stored; polling again from the first of them");
        return updates.length;
      },
      // A real long poll is already slow when empty; emulators answer at once.
      idleDelayMs: options.idlePollDelayMs ?? 200,
      backoff: options.pollBackoff ?? { baseMs: 1_000, capMs: 60_000 },
      onFailure: (error, failures, waitMs) =>
        logger.warn({ channel: "telegram", failures, waitMs, ...describeError(error) }, "getUpdates failed; backing off"),
    });
  }

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

  const webhook: WebhookReceiver | undefined = options.webhook && {
    authorize: secretHeader(TELEGRAM_SECRET_HEADER, options.webhook.secret),
    async receive(body) {
      if (!running || queue.full) return "busy";
      const update = parse(body, "webhook");
      if (!update) return "invalid";
      // Answered only once stored: an acknowledged update survives a crash (the inbox replays it).
      const verdict = await admission.admit(String(update.update_id), update);
      if (verdict !== "new") return verdict;
      enqueue(update);
      return "accepted";
    },
  };

  const sender: Sender = {
    channel: "telegram",
    send: (userId, message) =>
      deliverToTelegram(telegraf.telegram, userId, [message], { metrics, firstAttempts: 1, retry: options.retry, health }),
  };

  return {
    name: "telegram",
    mode: options.webhook ? "webhook" : "polling",
    sender,
    webhook,
    telegraf,
    async handleUpdate(body) {
      const update = parse(body, "webhook");
      if (!update) return "invalid";
      const verdict = await admission.admit(String(update.update_id), update);
      if (verdict !== "new") return verdict;
      await new Promise<void>((done) => enqueue(update, done));
      return "handled";
    },
    async replay(body) {
      const update = parseTelegramUpdate(body);
      if (!update) return false;
      await new Promise<void>((done) => queue.push(chatKey(update), () => telegraf.handleUpdate(update).finally(done), true));
      return true;
    },
    get running() {
      return running;
    },
    get botUsername() {
      return telegraf.botInfo?.username;
    },
    get notReady() {
      return channelNotReady(running, health.canSend, queue.pending, maxPending);
    },
    async start() {
      if (running) return;
      telegraf.botInfo = await telegraf.telegram.getMe();
      await setCommands();
      if (options.webhook) {
        await telegraf.telegram.setWebhook(options.webhook.url, {
          secret_token: options.webhook.secret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
      } else {
        // Long polling and a webhook are mutually exclusive for one bot.
        await telegraf.telegram.deleteWebhook();
        abort = new AbortController();
        loop = pollLoop(abort.signal);
      }
      running = true;
      logger.info({ channel: "telegram", mode: options.webhook ? "webhook" : "polling" }, "channel started");
    },
    async stop() {
      running = false;
      abort?.abort();
      await loop;
      const drained = await drainQueue(queue, options.drainTimeoutMs ?? 10_000);
      if (!drained) logger.warn({ channel: "telegram", pending: queue.pending }, "stopped with updates still in flight");
      // Confirm what was handled, or Telegram re-delivers the last batch after a restart; updates
      // still in flight stay unconfirmed (handled again later rather than lost).
      if (loop && drained && offset > 0) {
        await telegraf.telegram
          .callApi("getUpdates", { offset, timeout: 0, limit: 1, allowed_updates: [...ALLOWED_UPDATES] })
          .catch((error: unknown) => logger.debug({ channel: "telegram", ...describeError(error) }, "confirming offset failed"));
      }
      loop = undefined;
    },
  };
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
