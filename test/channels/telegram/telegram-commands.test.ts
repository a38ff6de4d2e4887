import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_COMMANDS } from "../../../src/channels/shared/commands.js";
import { noopMetrics } from "../../../src/channels/shared/channel-metrics.js";
import { createTelegramChannel } from "../../../src/channels/telegram/telegram-channel.js";
import { BUILTIN_COMMANDS } from "../../../src/engine/commands.js";
import { readFlowDir } from "../../../src/runtime/load-flows.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";
import { translate } from "../translate.js";

describe("Telegram command menu", () => {
  it("lists only commands the engine understands (built-in plus the flows' own; staff ones stay hidden)", () => {
    const { parsed } = readFlowDir(resolve(import.meta.dirname, "..", "..", "..", "flows"));
    const known = new Set([...BUILTIN_COMMANDS, ...parsed.flatMap((p) => (p.flow.command ? [p.flow.command] : []))]);
    expect(BOT_COMMANDS.filter((c) => !known.has(c))).toEqual([]);
  });

  it("sets a Vietnamese default menu and one per locale, with every description translated", async () => {
    const calls: { method: string; body: Record<string, unknown> }[] = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      const method = (req.url ?? "").split("/").pop() ?? "";
      calls.push({ method, body });
      const result = method === "getMe" ? { id: 1, is_bot: true, first_name: "B", username: "b_bot" } : true;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const channel = createTelegramChannel({
      token: "161803:AAD-commands-test-token",
      apiRoot: `http://127.0.0.1:${port}`,
      webhook: { url: "https://bot.example.gov.vn/webhooks/telegram", secret: "commands-test-secret" },
      bot: new FakeBot(),
      metrics: noopMetrics,
      logger: captureLogger(),
      translate,
    });
    try {
      await channel.start();
      const menus = calls.filter((c) => c.method === "setMyCommands").map((c) => c.body);
      expect(menus.map((m) => m.language_code)).toEqual([undefined, "vi", "en"]);
      const [def, vi, en] = menus as { commands: { command: string; description: string }[] }[];
      expect(def?.commands).toEqual(vi?.commands);
      expect(vi?.commands.map((c) => c.command)).toEqual([...BOT_COMMANDS]);
      expect(vi?.commands.find((c) => c.command === "courses")?.description).toBe("Các khóa đào tạo");
      expect(en?.commands.find((c) => c.command === "courses")?.description).toBe("Training courses");
      for (const m of [vi, en]) {
        for (const c of m?.commands ?? []) {
          expect(c.description).not.toMatch(/^channels:/);
          expect(c.description.length).toBeLessThanOrEqual(256);
        }
      }
      expect(calls.find((c) => c.method === "setWebhook")?.body).toMatchObject({
        url: "https://bot.example.gov.vn/webhooks/telegram",
        secret_token: "commands-test-secret",
      });
    } finally {
      await channel.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("refuses a webhook secret Telegram would reject", () => {
    expect(() =>
      createTelegramChannel({
        token: "1:x",
        webhook: { url: "https://x.example/webhooks/telegram", secret: "has spaces and ü" },
        bot: new FakeBot(),
        metrics: noopMetrics,
        logger: captureLogger(),
      }),
    ).toThrow(RangeError);
  });
});
