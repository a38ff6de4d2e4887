/**
 * The per-update boundary every adapter uses: call the bot, deliver the replies, record
 * metrics, and turn any exception into a log line so one bad update never stops the channel.
 */
import type { Bot, ChannelName, Incoming, Outgoing } from "../../engine/messages.js";
import type { ChannelMetrics } from "./channel-metrics.js";
import { describeError } from "./describe-error.js";
import type { Logger } from "../../shared/logger.js";

/** What `handleIncoming` needs. */
export interface HandleDeps {
  channel: ChannelName;
  bot: Bot;
  metrics: ChannelMetrics;
  logger: Logger;
}

/** Runs one update through the bot and `deliver`; never throws. */
export async function handleIncoming(
  deps: HandleDeps,
  incoming: Incoming,
  deliver: (replies: Outgoing[]) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  try {
    const replies = await deps.bot.handle(incoming);
    await deliver(replies);
    deps.metrics.updateHandled(deps.channel, (performance.now() - started) / 1000);
  } catch (error) {
    deps.metrics.handlerError(deps.channel);
    deps.logger.error({ channel: deps.channel, kind: incoming.kind, ...describeError(error) }, "update handling failed");
  }
}
