/**
 * What channels report for `/metrics`. Implemented by `src/server/metrics.ts`; channels depend
 * on this interface only, so they never import prom-client.
 */
import type { ChannelName } from "../../engine/messages.js";

/** Counters and timings a channel adapter records. */
export interface ChannelMetrics {
  /** A platform update arrived (before de-duplication). */
  updateReceived(channel: ChannelName): void;
  /** A re-delivered update was dropped. */
  updateDuplicate(channel: ChannelName): void;
  /**
   * An update was handled (or deliberately ignored); `seconds` is the time spent in the bot and
   * sending replies. Every received update ends as exactly one of duplicate, handled or error.
   */
  updateHandled(channel: ChannelName, seconds: number): void;
  /** Handling an update threw (bug or outage). */
  handlerError(channel: ChannelName): void;
  /** A message (one platform call) was sent. */
  messageSent(channel: ChannelName): void;
  /** A message could not be sent; `reason` is a SendResult kind. */
  sendFailed(channel: ChannelName, reason: string): void;
  /** A webhook request was refused (wrong secret, bad body). */
  webhookRejected(channel: ChannelName, reason: string): void;
  /** An incoming update (webhook or polled) did not match the platform's schema and was refused. */
  updateInvalid(channel: ChannelName): void;
}

/** Metrics that record nothing (for tools and tests that do not care). */
export const noopMetrics: ChannelMetrics = {
  updateReceived: () => {},
  updateDuplicate: () => {},
  updateHandled: () => {},
  handlerError: () => {},
  messageSent: () => {},
  sendFailed: () => {},
  webhookRejected: () => {},
  updateInvalid: () => {},
};
