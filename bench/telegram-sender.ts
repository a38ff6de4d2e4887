import { createTelegramChannel } from "../src/channels/telegram/telegram-channel.js";
import { noopMetrics } from "../src/channels/shared/channel-metrics.js";
import { silentLogger } from "../src/shared/logger.js";
import type { Sender } from "../src/engine/messages.js";

/**
 * The Telegram channel's own `Sender` (the one the app gives the broadcast service), built
 * without starting the channel: only `sender.send` is used, so no updates are ever polled.
 */
export function createBenchTelegramSender(options: { token: string; apiRoot: string }): Sender {
  const channel = createTelegramChannel({
    token: options.token,
    apiRoot: options.apiRoot,
    bot: { handle: async () => [] },
    metrics: noopMetrics,
    logger: silentLogger,
  });
  return channel.sender;
}
