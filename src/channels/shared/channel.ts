/** What the composition root sees of a running channel. */
import type { ChannelName, Sender } from "../../engine/messages.js";
import type { WebhookReceiver } from "./webhook.js";

/** A started/stoppable channel adapter with its sender and, in webhook mode, its receiver. */
export interface Channel {
  readonly name: ChannelName;
  /** Polling or webhook, as configured. */
  readonly mode: "polling" | "webhook";
  /** Pushes messages outside a conversation (reminders, broadcasts). */
  readonly sender: Sender;
  /** Present in webhook mode: mount it on the HTTP server. */
  readonly webhook?: WebhookReceiver;
  /** Connects to the platform (polling loop or setWebhook); rejects when the platform refuses. */
  start(): Promise<void>;
  /** Stops receiving and waits (bounded) for updates in flight. Safe to call twice. */
  stop(): Promise<void>;
  /** Whether `start()` succeeded and `stop()` was not called (for /readyz). */
  readonly running: boolean;
}
