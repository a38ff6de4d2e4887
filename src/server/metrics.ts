/**
 * Prometheus metrics for the bot, on a registry of their own (no global default registry),
 * behind the `ChannelMetrics` interface channels call.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ChannelMetrics } from "../channels/shared/channel-metrics.js";

/** Channel metrics plus what the HTTP server needs to expose them. */
export interface Metrics extends ChannelMetrics {
  /** The Content-Type of `render()`'s output. */
  readonly contentType: string;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** Counts one reading of free text: outcome understood | asked | fallback, and the intent (or "none"). */
  understood(outcome: string, intent: string): void;
}

/** Creates the metric set; `processMetrics` adds prom-client's process/runtime gauges. */
export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const received = new Counter({
    name: "bot_updates_received_total",
    help: "Platform updates received, per channel (before de-duplication)",
    labelNames: ["channel"],
    registers,
  });
  const duplicates = new Counter({
    name: "bot_updates_duplicate_total",
    help: "Re-delivered updates dropped, per channel",
    labelNames: ["channel"],
    registers,
  });
  const handled = new Counter({
    name: "bot_updates_handled_total",
    help: "Updates handled without error, per channel",
    labelNames: ["channel"],
    registers,
  });
  const errors = new Counter({
    name: "bot_handler_errors_total",
    help: "Updates whose handling threw, per channel",
    labelNames: ["channel"],
    registers,
  });
  const sent = new Counter({
    name: "bot_messages_sent_total",
    help: "Messages sent to the platform, per channel",
    labelNames: ["channel"],
    registers,
  });
  const sendFailures = new Counter({
    name: "bot_send_failures_total",
    help: "Messages that could not be sent, per channel and reason",
    labelNames: ["channel", "reason"],
    registers,
  });
  const rejected = new Counter({
    name: "bot_webhook_rejected_total",
    help: "Webhook requests refused, per channel and reason",
    labelNames: ["channel", "reason"],
    registers,
  });
  const understanding = new Counter({
    name: "bot_understanding_total",
    help: "Free text and global words read: understood, asked to choose (A or B?) or fallback, per intent",
    labelNames: ["outcome", "intent"],
    registers,
  });
  const invalid = new Counter({
    name: "bot_updates_invalid_total",
    help: "Incoming updates refused because they did not match the platform's schema, per channel",
    labelNames: ["channel"],
    registers,
  });
  const latency = new Histogram({
    name: "bot_handler_duration_seconds",
    help: "Time to handle one update (bot plus sending replies), per channel",
    labelNames: ["channel"],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });

  // Per-update metrics use children bound to their channel label: prom-client then skips
  // validating and hashing the labels on every call (a few percent of CPU per update).
  const perChannel = <T>(make: (channel: string) => T) => {
    const children = new Map<string, T>();
    return (channel: string): T => {
      let child = children.get(channel);
      if (!child) children.set(channel, (child = make(channel)));
      return child;
    };
  };
  const receivedFor = perChannel((channel) => received.labels({ channel }));
  const handledFor = perChannel((channel) => handled.labels({ channel }));
  const latencyFor = perChannel((channel) => latency.labels({ channel }));
  const sentFor = perChannel((channel) => sent.labels({ channel }));

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    updateReceived: (channel) => receivedFor(channel).inc(),
    updateDuplicate: (channel) => duplicates.inc({ channel }),
    updateHandled: (channel, seconds) => {
      handledFor(channel).inc();
      latencyFor(channel).observe(seconds);
    },
    handlerError: (channel) => errors.inc({ channel }),
    messageSent: (channel) => sentFor(channel).inc(),
    sendFailed: (channel, reason) => sendFailures.inc({ channel, reason }),
    webhookRejected: (channel, reason) => rejected.inc({ channel, reason }),
    understood: (outcome, intent) => understanding.inc({ outcome, intent }),
    updateInvalid: (channel) => invalid.inc({ channel }),
  };
}
