/**
 * The Zalo channel: receives updates by long polling (`getUpdates`) or by webhook, turns them
 * into `Incoming`, runs them through the bot (in order per chat, concurrently across chats)
 * and sends the replies as numbered text.
 */
import { createHash } from "node:crypto";
import type { Incoming, Outgoing, Sender } from "../../engine/messages.js";
import { channelNotReady, DEFAULT_CONCURRENCY, DEFAULT_SEND_TIMEOUT_MS, type Channel, type ChannelOptions } from "../shared/channel.js";
import { SendHealth } from "../shared/send-health.js";
import { describeError } from "../shared/describe-error.js";
import { handleIncoming } from "../shared/handle-incoming.js";
import { drainQueue, KeyedQueue } from "../../shared/keyed-queue.js";
import { pollUntilAborted } from "../shared/poll-loop.js";
import { createUpdateAdmission, updateKey } from "../shared/update-admission.js";
import { ZALO_SECRET_HEADER } from "./index.js";
import { secretHeader, type WebhookReceiver } from "../shared/webhook.js";
import { createZaloClient, type ZaloClient, type ZaloTransport } from "./zalo-client.js";
import { deliverToZalo } from "./zalo-delivery.js";
import { parseWebhookUpdate, type ZaloUpdate } from "./zalo-types.js";

/** Options for `createZaloChannel`. */
export interface ZaloChannelOptions extends ChannelOptions {
  /** ZALO_BOT_TOKEN. */
  token: string;
  /** ZALO_API_BASE (defaults to the public host). */
  apiBase?: string;
  /** Injected HTTP transport (defaults to axios). */
  transport?: ZaloTransport;
}

/** A Zalo channel plus its client (exposed for tools like a webhook status check). */
export interface ZaloChannel extends Channel {
  readonly client: ZaloClient;
}

/** Creates the Zalo channel; nothing talks to the network until `start()`. */
export function createZaloChannel(options: ZaloChannelOptions): ZaloChannel {
  const { bot, metrics, logger } = options;
  if (options.webhook && (options.webhook.secret.length < 8 || options.webhook.secret.length > 256)) {
    throw new RangeError("ZALO_WEBHOOK_SECRET must be 8 to 256 characters");
  }
  const client = createZaloClient({
    token: options.token,
    apiBase: options.apiBase,
    transport: options.transport,
    timeoutMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
  });
  const health = new SendHealth();
  const maxPending = options.maxPending ?? 1_000;
  const admission = createUpdateAdmission({ channel: "zalo", metrics, logger, inbox: options.inbox });
  const queue = new KeyedQueue({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxPending,
    onError: (error) => logger.error({ channel: "zalo", ...describeError(error) }, "queued task failed"),
  });
  let abort: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let running = false;

  /** Queues an update behind earlier ones of the same chat; `handled` is told when it was. */
  function enqueue(update: ZaloUpdate, handled: () => void | Promise<void>): void {
    const chatId = update.message.chat.id;
    const incoming = toIncoming(update);
    const handle = () =>
      handleIncoming({ channel: "zalo", bot, metrics, logger }, incoming, (replies) => deliver(chatId, incoming.user.userId, replies)).finally(handled);
    // Admission already checked for room (webhooks) or the poller waited for it: never refuse here.
    queue.push(chatId, handle, true);
  }

  /** Admits an update (stored in the inbox first) and queues it when new. */
  async function admitAndEnqueue(update: ZaloUpdate, handled?: () => void): Promise<"new" | "duplicate" | "busy"> {
    const id = zaloUpdateId(update);
    const verdict = await admission.admit(id, update);
    if (verdict === "new") enqueue(update, () => admission.done(id).finally(handled));
    return verdict;
  }

  async function deliver(chatId: string, userId: string, replies: Outgoing[]): Promise<void> {
    if (replies.some((r) => r.document)) logger.warn({ channel: "zalo" }, "documents cannot be sent on Zalo; sent text only");
    const result = await deliverToZalo(client, chatId, replies, {
      metrics,
      retry: options.retry,
      health,
      ...(options.sendGate ? { gate: options.sendGate } : {}),
    });
    if (result.ok) return;
    logger.warn({ channel: "zalo", kind: result.kind }, "reply not delivered");
    if (result.kind === "unreachable") await options.onUnreachable?.(userId, result.code);
  }

  function pollLoop(signal: AbortSignal): Promise<void> {
    return pollUntilAborted({
      signal,
      waitForRoom: (s) => queue.hasSpace(s),
      async poll(s) {
        // One update per call; `undefined` is the quiet 408 "nothing arrived" (no log, no backoff).
        const update = await client.getUpdates({ timeoutSeconds: options.pollTimeoutSeconds ?? 30, signal: s });
        // Zalo hands each update over once: when it cannot be stored it is still handled (in memory).
        if (update && (await admitAndEnqueue(update)) === "busy") enqueue(update, () => undefined);
        return update ? 1 : 0;
      },
      idleDelayMs: 0,
      backoff: options.pollBackoff ?? { baseMs: 1_000, capMs: 60_000 },
      onFailure: (error, failures, waitMs) =>
        logger.warn({ channel: "zalo", failures, waitMs, ...describeError(error) }, "getUpdates failed; backing off"),
    });
  }

  const webhook: WebhookReceiver | undefined = options.webhook && {
    authorize: secretHeader(ZALO_SECRET_HEADER, options.webhook.secret),
    async receive(body) {
      if (!running || queue.full) return "busy";
      const update = parseWebhookUpdate(body);
      if (!update) {
        metrics.updateInvalid("zalo");
        metrics.webhookRejected("zalo", "invalid");
        logger.warn({ channel: "zalo", source: "webhook" }, "update refused: not a valid Zalo update");
        return "invalid";
      }
      // Answered only once stored: an acknowledged update survives a crash (the inbox replays it).
      const verdict = await admitAndEnqueue(update);
      return verdict === "new" ? "accepted" : verdict;
    },
  };

  const sender: Sender = {
    channel: "zalo",
    send: (userId, message) => deliverToZalo(client, userId, [message], { metrics, firstAttempts: 1, retry: options.retry, health }),
  };

  return {
    name: "zalo",
    mode: options.webhook ? "webhook" : "polling",
    sender,
    webhook,
    client,
    get running() {
      return running;
    },
    async replay(body) {
      const update = parseWebhookUpdate(body);
      if (!update) return false;
      await new Promise<void>((done) => enqueue(update, done));
      return true;
    },
    get notReady() {
      return channelNotReady(running, health.canSend, queue.pending, maxPending);
    },
    async start() {
      if (running) return;
      await client.getMe();
      if (options.webhook) {
        await client.setWebhook(options.webhook.url, options.webhook.secret);
      } else {
        // getUpdates does not work while a webhook is set.
        await client.deleteWebhook();
        abort = new AbortController();
        loop = pollLoop(abort.signal);
      }
      running = true;
      logger.info({ channel: "zalo", mode: options.webhook ? "webhook" : "polling" }, "channel started");
    },
    async stop() {
      running = false;
      abort?.abort();
      await loop;
      const drained = await drainQueue(queue, options.drainTimeoutMs ?? 10_000);
      if (!drained) logger.warn({ channel: "zalo", pending: queue.pending }, "stopped with updates still in flight");
    },
  };
}

/**
 * The de-duplication id: Zalo's message id; without one, a hash of chat, date, event and text
 * (the same re-delivery gives the same id in every process and after restarts); without a date
 * either, a fresh id (such an update cannot be recognised again, so it is never de-duplicated).
 */
export function zaloUpdateId(update: ZaloUpdate): string {
  const { message } = update;
  if (message.message_id !== undefined) return message.message_id;
  if (message.date === undefined) return `once:${crypto.randomUUID()}`;
  const digest = createHash("sha256")
    .update(JSON.stringify([message.chat.id, message.date, update.event_name, message.text ?? null]))
    .digest("base64url")
    .slice(0, 22);
  return `h:${digest}`;
}

/** Turns a Zalo update into the bot's `Incoming` (a typed number stays text: the engine matches it). */
function toIncoming(update: ZaloUpdate): Incoming {
  const { message } = update;
  const userId = message.from?.id ?? message.chat.id;
  const user = { channel: "zalo" as const, userId };
  const displayName = message.from?.display_name ?? message.from?.first_name;
  const base = { ...(displayName ? { user, displayName } : { user }), updateKey: updateKey("zalo", zaloUpdateId(update)) };
  const text = message.text;
  // Blank text stays text: the engine simply shows the current question again.
  if (update.event_name !== "message.text.received" || text === undefined) {
    return { ...base, kind: "unsupported" };
  }
  return { ...base, kind: "text", text };
}
