/**
 * The lifecycle every platform channel shares, written once: admission (stored in the inbox
 * before anything acknowledges it), the per-chat ordered and bounded queue, the poll loop whose
 * offset moves only past stored updates, the webhook receipt (accepted, duplicate, invalid,
 * busy), start / stop with a bounded drain, readiness and the inbox's replay. A platform
 * configures it with its own parts only: parsing, ids, the chat key, how one
 * update is handled and how it talks to its API.
 */
import type { ChannelName, Sender } from "../../engine/messages.js";
import { drainQueue, KeyedQueue } from "../../shared/keyed-queue.js";
import { channelNotReady, DEFAULT_CONCURRENCY, type Channel, type ChannelOptions } from "./channel.js";
import { describeError } from "./describe-error.js";
import { pollUntilAborted } from "./poll-loop.js";
import type { SendHealth } from "./send-health.js";
import { createUpdateAdmission } from "./update-admission.js";
import type { WebhookReceiver } from "./webhook.js";

/** How a platform polls: `fetch` gets updates from `offset` (the position after the last stored one). */
export interface PlatformPolling<U, R> {
  /** Before polling starts (e.g. delete a webhook: the two are mutually exclusive). */
  prepare(): Promise<void>;
  /** One long poll from `offset`; throws on failure (the loop backs off). */
  fetch(offset: number, signal: AbortSignal): Promise<readonly R[]>;
  /** Turns a polled item into an update, or undefined when it is not one (counted and logged). */
  parse(raw: R): U | undefined;
  /** The offset that confirms `raw` (platforms that confirm by offset); moved only past stored updates. */
  offsetAfter?(raw: R): number;
  /**
   * An update the inbox could not store: "poll-again" when the platform delivers it again (stop
   * confirming, back off), "handle-in-memory" when it is handed over only once.
   */
  notStored: "poll-again" | "handle-in-memory";
  /** After a drained stop: confirms `offset` so the platform does not re-deliver handled updates. */
  confirm?(offset: number): Promise<void>;
  /** Pause after an empty poll (0 when the platform itself holds the request). */
  idleDelayMs: number;
}

/** How a platform receives by webhook: who may deliver, and how the webhook is registered. */
export interface PlatformWebhook {
  authorize?: WebhookReceiver["authorize"];
  verify?: WebhookReceiver["verify"];
  /** Registers the webhook with the platform (at start). */
  register(): Promise<void>;
}

/** A platform's own parts; the shared lifecycle does the rest. */
export interface PlatformParts<U, R> {
  readonly name: ChannelName;
  /** The platform's name in log lines (its product name). */
  readonly label: string;
  /** Validates a delivered body: an update the bot can trust, or undefined. Pure (no metrics, no logs). */
  parse(body: unknown): U | undefined;
  /** The de-duplication id of an update. */
  updateId(update: U): string;
  /** The queue key: the chat an update belongs to, so one chat's updates stay in order. */
  chatKey(update: U): string;
  /** Handles one update (the bot, the replies); never rejects. */
  handle(update: U): Promise<void>;
  /** The outcome of its recent sends (for readiness). */
  readonly health: SendHealth;
  readonly sender: Sender;
  /** The first thing `start()` does (e.g. getMe, the command menu); rejects when the platform refuses. */
  connect(): Promise<void>;
  readonly polling: PlatformPolling<U, R>;
  readonly webhook: PlatformWebhook;
  /** The bot account's public username, once known. */
  botUsername?(): string | undefined;
}

/** A platform channel: a `Channel` that can also take one update without HTTP in front. */
export interface PlatformChannel extends Channel {
  /**
   * Takes one update the way a webhook delivery is taken (de-duplication, the shared claim, the
   * per-chat queue with its bounded concurrency) and resolves once it has been handled; for
   * tests and the benchmark, which have no HTTP in front.
   */
  handleUpdate(body: unknown): Promise<"handled" | "duplicate" | "busy" | "invalid">;
}

/** Builds a channel from a platform's parts and the options every channel takes. */
export function createPlatformChannel<U, R = U>(options: ChannelOptions, parts: PlatformParts<U, R>): PlatformChannel {
  const { metrics, logger } = options;
  const { name: channel, health, handle, chatKey, updateId, polling } = parts;
  const maxPending = options.maxPending ?? 1_000;
  const admission = createUpdateAdmission({ channel, metrics, logger, inbox: options.inbox });
  const queue = new KeyedQueue({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxPending,
    onError: (error) => logger.error({ channel, ...describeError(error) }, "queued task failed"),
  });
  let abort: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let running = false;
  // The next position to poll from; the platform forgets updates below it (they count as confirmed).
  let offset = 0;

  /** Queues an admitted update behind earlier ones of the same chat; the inbox hears when it was handled. */
  function enqueue(update: U, id: string, handled?: () => void): void {
    // Admission already checked for room (webhooks) or the poller waited for it: never refuse here.
    queue.push(chatKey(update), () => handle(update).finally(() => admission.done(id)).finally(handled), true);
  }

  /** Counts and logs a body that is not an update (no content). */
  function refuse(source: "webhook" | "polling"): undefined {
    metrics.updateInvalid(channel);
    if (source === "webhook") metrics.webhookRejected(channel, "invalid");
    logger.warn({ channel, source }, `update refused: not a valid ${parts.label} update`);
    return undefined;
  }

  function pollLoop(signal: AbortSignal): Promise<void> {
    return pollUntilAborted({
      signal,
      waitForRoom: (s) => queue.hasSpace(s),
      async poll(s) {
        const raws = await polling.fetch(offset, s);
        // The offset confirms everything below it: it moves only past updates that are stored in
        // the inbox (or refused as invalid), so a crash loses none of them.
        const verdicts = await Promise.all(
          raws.map(async (raw) => {
            const update = polling.parse(raw) ?? refuse("polling");
            if (update === undefined) return "invalid" as const;
            const id = updateId(update);
            const verdict = await admission.admit(id, update);
            if (verdict === "new") enqueue(update, id);
            // Handed over only once: when it cannot be stored it is still handled (in memory).
            else if (verdict === "busy" && polling.notStored === "handle-in-memory") queue.push(chatKey(update), () => handle(update), true);
            return verdict;
          }),
        );
        const firstBusy = polling.notStored === "poll-again" ? verdicts.indexOf("busy") : -1;
        if (polling.offsetAfter) {
          const confirmed = firstBusy === -1 ? raws : raws.slice(0, firstBusy);
          for (const raw of confirmed) offset = Math.max(offset, polling.offsetAfter(raw));
        }
        if (firstBusy !== -1) throw new Error("updates could not be stored; polling again from the first of them");
        return raws.length;
      },
      idleDelayMs: polling.idleDelayMs,
      backoff: options.pollBackoff ?? { baseMs: 1_000, capMs: 60_000 },
      onFailure: (error, failures, waitMs) => logger.warn({ channel, failures, waitMs, ...describeError(error) }, "getUpdates failed; backing off"),
    });
  }

  const webhook: WebhookReceiver | undefined = options.webhook && {
    ...(parts.webhook.authorize ? { authorize: parts.webhook.authorize } : {}),
    ...(parts.webhook.verify ? { verify: parts.webhook.verify } : {}),
    async receive(body) {
      if (!running || queue.full) return "busy";
      const update = parts.parse(body) ?? refuse("webhook");
      if (update === undefined) return "invalid";
      // Answered only once stored: an acknowledged update survives a crash (the inbox replays it).
      const id = updateId(update);
      const verdict = await admission.admit(id, update);
      if (verdict !== "new") return verdict;
      enqueue(update, id);
      return "accepted";
    },
  };

  const mode = options.webhook ? "webhook" : "polling";
  return {
    name: channel,
    mode,
    sender: parts.sender,
    webhook,
    async handleUpdate(body) {
      const update = parts.parse(body) ?? refuse("webhook");
      if (update === undefined) return "invalid";
      const id = updateId(update);
      const verdict = await admission.admit(id, update);
      if (verdict !== "new") return verdict;
      await new Promise<void>((done) => enqueue(update, id, done));
      return "handled";
    },
    async replay(body) {
      const update = parts.parse(body);
      if (update === undefined) return false;
      await new Promise<void>((done) => queue.push(chatKey(update), () => handle(update).finally(done), true));
      return true;
    },
    get running() {
      return running;
    },
    get botUsername() {
      return parts.botUsername?.();
    },
    get notReady() {
      return channelNotReady(running, health.canSend, queue.pending, maxPending);
    },
    async start() {
      if (running) return;
      await parts.connect();
      if (options.webhook) {
        await parts.webhook.register();
      } else {
        await polling.prepare();
        abort = new AbortController();
        loop = pollLoop(abort.signal);
      }
      running = true;
      logger.info({ channel, mode }, "channel started");
    },
    async stop() {
      running = false;
      abort?.abort();
      await loop;
      const drained = await drainQueue(queue, options.drainTimeoutMs ?? 10_000);
      if (!drained) logger.warn({ channel, pending: queue.pending }, "stopped with updates still in flight");
      // Confirm what was handled, or the platform re-delivers the last batch after a restart;
      // updates still in flight stay unconfirmed (handled again later rather than lost).
      if (loop && drained) await polling.confirm?.(offset);
      loop = undefined;
    },
  };
}
