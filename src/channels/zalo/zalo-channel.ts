/**
 * The Zalo channel: its parts of the shared lifecycle (`createPlatformChannel`): one update per
 * long poll (`getUpdates`, no offset) or a webhook guarded by a secret header; each update turned
 * into `Incoming`, run through the bot and answered as numbered text.
 */
import { createHash } from "node:crypto";
import type { Incoming, Outgoing } from "../../engine/messages.js";
import { DEFAULT_SEND_TIMEOUT_MS, type ChannelOptions } from "../shared/channel.js";
import { SendHealth } from "../shared/send-health.js";
import { handleIncoming } from "../shared/handle-incoming.js";
import { createPlatformChannel, type PlatformChannel } from "../shared/platform-channel.js";
import { updateKey } from "../shared/update-admission.js";
import { ZALO_SECRET_HEADER } from "./index.js";
import { secretHeader } from "../shared/webhook.js";
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
export interface ZaloChannel extends PlatformChannel {
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

  const channel = createPlatformChannel<ZaloUpdate>(options, {
    name: "zalo",
    label: "Zalo",
    parse: parseWebhookUpdate,
    updateId: zaloUpdateId,
    chatKey: (update) => update.message.chat.id,
    handle(update) {
      const incoming = toIncoming(update);
      return handleIncoming({ channel: "zalo", bot, metrics, logger }, incoming, (replies) => deliver(update.message.chat.id, incoming.user.userId, replies));
    },
    health,
    sender: {
      channel: "zalo",
      send: (userId, message) => deliverToZalo(client, userId, [message], { metrics, firstAttempts: 1, retry: options.retry, health }),
    },
    connect: async () => void (await client.getMe()),
    polling: {
      // getUpdates does not work while a webhook is set.
      prepare: () => client.deleteWebhook(),
      // One update per call; none is the quiet 408 "nothing arrived" (no log, no backoff).
      fetch: async (_offset, signal) => {
        const update = await client.getUpdates({ timeoutSeconds: options.pollTimeoutSeconds ?? 30, signal });
        return update ? [update] : [];
      },
      // The client validated it already.
      parse: (update) => update,
      // Zalo hands each update over once: when it cannot be stored it is still handled (in memory).
      notStored: "handle-in-memory",
      idleDelayMs: 0,
    },
    webhook: {
      ...(options.webhook ? { authorize: secretHeader(ZALO_SECRET_HEADER, options.webhook.secret) } : {}),
      async register() {
        if (options.webhook) await client.setWebhook(options.webhook.url, options.webhook.secret);
      },
    },
  });
  return Object.assign(channel, { client });
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
