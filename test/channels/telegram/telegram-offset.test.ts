import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { noopMetrics } from "../../../src/channels/shared/channel-metrics.js";
import { createTelegramChannel } from "../../../src/channels/telegram/telegram-channel.js";
import { captureLogger } from "../capture-logger.js";
import { FakeBot } from "../fake-bot.js";

const TOKEN = "271828:AAG-offset-test-token";

describe("Telegram long polling offsets", () => {
  it("asks for updates after the last one seen, backs off on errors, and confirms handled updates at stop", async () => {
    const polls: Record<string, unknown>[] = [];
    const sent: string[] = [];
    let served = false;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      const method = (req.url ?? "").split("/").pop();
      const json = (status: number, data: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(data));
      };
      if (method === "getMe") return json(200, { ok: true, result: { id: 1, is_bot: true, first_name: "B", username: "b_bot" } });
      if (method === "deleteWebhook") return json(200, { ok: true, result: true });
      if (method === "sendMessage") {
        sent.push(String(body.text));
        return json(200, { ok: true, result: { message_id: sent.length, date: 0, chat: { id: 7, type: "private" } } });
      }
      if (method === "getUpdates") {
        polls.push(body);
        if (polls.length === 1) return json(502, { ok: false, error_code: 502, description: "Bad Gateway" });
        if (!served) {
          served = true;
          const message = (id: number, text: string) => ({
            update_id: id,
            message: { message_id: id, date: 0, text, chat: { id: 7, type: "private" }, from: { id: 7, is_bot: false, first_name: "U" } },
          });
          return json(200, { ok: true, result: [message(41, "one"), message(42, "two")] });
        }
        return json(200, { ok: true, result: [] });
      }
      json(404, { ok: false, error_code: 404, description: "Not Found" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const logger = captureLogger();
    const channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: `http://127.0.0.1:${port}`,
      bot: new FakeBot(),
      metrics: noopMetrics,
      logger,
      idlePollDelayMs: 5,
      pollBackoff: { baseMs: 5, capMs: 10 },
    });
    try {
      await channel.start();
      for (let i = 0; i < 400 && (sent.length < 2 || polls.length < 4); i++) await new Promise((r) => setTimeout(r, 10));
      await channel.stop();
      expect(sent).toEqual(["echo: one", "echo: two"]);
      expect(polls[0]).toMatchObject({ offset: 0, timeout: 30, allowed_updates: ["message", "callback_query"] });
      expect(polls[2]).toMatchObject({ offset: 43 });
      expect(polls.at(-1)).toMatchObject({ offset: 43, timeout: 0 });
      expect(logger.lines.filter((l) => l.level === "warn").map((l) => l.fields.code)).toEqual([502]);
    } finally {
      await channel.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("keeps polling through network failures and never logs the token", async () => {
    let up = true;
    const server = createServer((req, res) => {
      if (!up) return req.socket.destroy();
      const method = (req.url ?? "").split("/").pop();
      res.writeHead(200, { "content-type": "application/json" });
      if (method === "getMe") return res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: "B", username: "b_bot" } }));
      if (method === "getUpdates") up = false; // from now on every request is cut off
      res.end(JSON.stringify({ ok: true, result: method === "getUpdates" ? [] : true }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const logger = captureLogger();
    const channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: `http://127.0.0.1:${port}`,
      bot: new FakeBot(),
      metrics: noopMetrics,
      logger,
      idlePollDelayMs: 1,
      pollBackoff: { baseMs: 1, capMs: 5 },
    });
    try {
      await channel.start();
      for (let i = 0; i < 400 && logger.lines.filter((l) => l.level === "warn").length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      const warns = logger.lines.filter((l) => l.level === "warn");
      expect(warns.length).toBeGreaterThanOrEqual(3);
      expect(warns.map((w) => w.fields.failures).slice(0, 3)).toEqual([1, 2, 3]);
      expect(logger.text()).not.toContain(TOKEN.split(":")[1]);
      expect(channel.running).toBe(true);
    } finally {
      await channel.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("moves the offset only past updates stored in the inbox: one that could not be stored is fetched again, handled once", async () => {
    const polls: number[] = [];
    const sent: string[] = [];
    const message = (id: number, text: string) => ({
      update_id: id,
      message: { message_id: id, date: 0, text, chat: { id: 7, type: "private" }, from: { id: 7, is_bot: false, first_name: "U" } },
    });
    const pending = [message(51, "one"), message(52, "two"), message(53, "three")];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      const method = (req.url ?? "").split("/").pop();
      const json = (data: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(data));
      };
      if (method === "getMe") return json({ ok: true, result: { id: 1, is_bot: true, first_name: "B", username: "b_bot" } });
      if (method === "sendMessage") {
        sent.push(String(body.text));
        return json({ ok: true, result: { message_id: sent.length, date: 0, chat: { id: 7, type: "private" } } });
      }
      if (method === "getUpdates") {
        const offset = Number(body.offset ?? 0);
        polls.push(offset);
        // Like Telegram: everything from the offset on, until confirmed by a higher offset.
        return json({ ok: true, result: pending.filter((u) => u.update_id >= offset) });
      }
      json({ ok: true, result: true });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const stored = new Map<string, boolean>();
    let failures = 1;
    const inbox = {
      accept: async (key: string) => {
        // The database refuses update 52 once.
        if (key === "telegram:52" && failures-- > 0) throw new Error("database unavailable");
        if (stored.has(key)) return false;
        stored.set(key, false);
        return true;
      },
      done: async (key: string) => void stored.set(key, true),
    };
    const channel = createTelegramChannel({
      token: TOKEN,
      apiRoot: `http://127.0.0.1:${port}`,
      bot: new FakeBot(),
      metrics: noopMetrics,
      logger: captureLogger(),
      inbox,
      idlePollDelayMs: 5,
      pollBackoff: { baseMs: 5, capMs: 10 },
    });
    try {
      await channel.start();
      for (let i = 0; i < 400 && (sent.length < 3 || polls.at(-1) !== 54); i++) await new Promise((r) => setTimeout(r, 10));
      await channel.stop();
      // First poll from 0; 52 failed, so the next poll starts at 52 (51 was stored), then past all.
      expect(polls.slice(0, 2)).toEqual([0, 52]);
      expect(polls).toContain(54);
      expect(sent.sort()).toEqual(["echo: one", "echo: three", "echo: two"]);
      expect([...stored.entries()].sort()).toEqual([["telegram:51", true], ["telegram:52", true], ["telegram:53", true]]);
    } finally {
      await channel.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
