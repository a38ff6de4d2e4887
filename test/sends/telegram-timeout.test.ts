/** Issue #11 item 4: a Telegram call that never gets an answer gives up after the send timeout (telegraf's own is 500 s). */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createTelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { createMetrics } from "../../src/server/metrics.js";
import { captureLogger } from "../channels/capture-logger.js";
import { FakeBot } from "../channels/fake-bot.js";

describe("bounded Telegram calls", () => {
  it("a hung sendMessage ends as 'unknown' after SEND_TIMEOUT_MS and is not retried", async () => {
    let calls = 0;
    // Reads the request, never answers.
    const server = createServer((req) => {
      calls++;
      req.resume();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const channel = createTelegramChannel({
        token: "123:hung-platform-token-000000000000",
        apiRoot: `http://127.0.0.1:${port}`,
        bot: new FakeBot(),
        metrics: createMetrics(),
        logger: captureLogger(),
        sendTimeoutMs: 500,
      });
      const started = Date.now();
      const result = await channel.sender.send("42", { text: "hello" });
      const took = Date.now() - started;
      expect(result).toMatchObject({ ok: false, kind: "unknown" });
      expect(took).toBeLessThan(5_000);
      expect(calls).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 30_000);
});
