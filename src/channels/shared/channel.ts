/** What the composition root sees of a running channel. */
import type { FastifyInstance } from "fastify";
import type { Bot, ChannelName, Sender } from "../../engine/messages.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import type { Logger } from "../../shared/logger.js";
import type { RetryOptions } from "./retry.js";
import type { SendGate } from "./send-gate.js";
import type { UpdateInbox } from "./update-admission.js";
import type { WebhookReceiver } from "./webhook.js";

/** A started/stoppable channel adapter with its sender and, in webhook mode, its receiver. */
export interface Channel {
  readonly name: ChannelName;
  /** Polling or webhook, as configured; "local" for a chat on the machine's own console. */
  readonly mode: "polling" | "webhook" | "local";
  /** Pushes messages outside a conversation (reminders, broadcasts). */
  readonly sender: Sender;
  /** Present in webhook mode: the HTTP server mounts it at `POST /webhooks/<name>`. */
  readonly webhook?: WebhookReceiver;
  /**
   * Further HTTP routes of the channel (pages, scripts, a WebSocket…), registered on the server's
   * fastify instance before it listens. Routes should live under `/<name>/` to stay apart.
   */
  readonly http?: (app: FastifyInstance) => Promise<void>;
  /** The bot account's public username once known (for deep links), where the platform has one. */
  readonly botUsername?: string | undefined;
  /** A local channel (a chat on the console): resolves once its input ended and its last reply was shown. */
  readonly done?: Promise<void>;
  /** A path on the bot's HTTP server where people chat in a browser (printed at start-up), if the channel has one. */
  readonly page?: string;
  /** Forgets what the channel itself keeps about an account (`<channel>:<id>`) whose data was erased. */
  forget?(key: string): Promise<void>;
  /** Connects to the platform (polling loop or setWebhook); rejects when the platform refuses. */
  start(): Promise<void>;
  /** Stops receiving and waits (bounded) for updates in flight. Safe to call twice. */
  stop(): Promise<void>;
  /** Whether `start()` succeeded and `stop()` was not called (for /readyz). */
  readonly running: boolean;
  /**
   * Handles a stored update again (the inbox's recovery sweep), in order with its chat's other
   * updates; resolves once handled; false when the stored body is not a valid update.
   */
  replay(update: unknown): Promise<boolean>;
  /**
   * For /readyz: undefined when the channel can take work, else why not ("not_running",
   * "cannot_send": its last sends timed out or could not connect, "queue_full": its backlog is past the bound).
   */
  readonly notReady: string | undefined;
}

/** Options every platform channel takes besides its token and API address. */
export interface ChannelOptions {
  /** Public URL + shared secret; the channel polls when absent. */
  webhook?: { url: string; secret: string };
  bot: Bot;
  metrics: ChannelMetrics;
  logger: Logger;
  /** Long-poll length in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Backoff after failed polls (default 1 s doubling up to 60 s). */
  pollBackoff?: { baseMs: number; capMs: number };
  /**
   * Updates handled at once across chats (default `DEFAULT_CONCURRENCY`). Bounded so a burst
   * queues instead of growing memory; high enough that concurrent database writes batch well.
   */
  concurrency?: number;
  /** Updates queued before polling pauses / webhooks answer 503 (default 1000). */
  maxPending?: number;
  /** How long `stop()` waits for updates in flight (default 10 s). */
  drainTimeoutMs?: number;
  /** Retry policy for replies (tests shorten it). */
  retry?: Partial<Omit<RetryOptions, "classify">>;
  /** Told when a conversation reply finds the user gone (e.g. mark the contact unreachable). */
  onUnreachable?: (userId: string, code: string) => void | Promise<void>;
  /** Durable storage of received updates (acknowledged only once stored); without it updates live in memory only. */
  inbox?: UpdateInbox;
  /**
   * The bot account's send budget, shared with broadcasts, reminders and notices: replies take a
   * slot first (ahead of bulk sends). Bulk senders are handed a slot already, so `sender` takes none.
   */
  sendGate?: SendGate;
  /** The most one platform call may take (ms; `SEND_TIMEOUT_MS`, default 10 s). */
  sendTimeoutMs?: number;
}

/** The default bound on one platform call (ms). */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/** /readyz fails while more than this share of `maxPending` is queued. */
export const READY_QUEUE_SHARE = 0.5;

/** Why a channel cannot take work now, or undefined (see `Channel.notReady`). */
export function channelNotReady(running: boolean, canSend: boolean, pending: number, maxPending: number): string | undefined {
  if (!running) return "not_running";
  if (!canSend) return "cannot_send";
  if (pending > maxPending * READY_QUEUE_SHARE) return "queue_full";
  return undefined;
}

/** Updates handled at once per channel unless configured (measured in bench/FINDINGS.md). */
export const DEFAULT_CONCURRENCY = 128;
