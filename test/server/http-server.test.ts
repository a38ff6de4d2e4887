import { afterEach, describe, expect, it } from "vitest";
import { secretHeader, type WebhookReceiver } from "../../src/channels/shared/webhook.js";
import { createHttpServer, type HttpServer, type Readiness } from "../../src/server/http-server.js";
import { createMetrics } from "../../src/server/metrics.js";
import { captureLogger } from "../channels/capture-logger.js";

const SECRET = "s3cret-webhook_token";

function recorder(header: string): WebhookReceiver & { bodies: unknown[] } {
  const bodies: unknown[] = [];
  return {
    authorize: secretHeader(header, SECRET),
    bodies,
    receive(body) {
      bodies.push(body);
      return (body as { bad?: boolean }).bad ? "invalid" : "accepted";
    },
  };
}

describe("HTTP server", () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const build = (options: { ready?: () => Promise<Readiness>; telegram?: WebhookReceiver; zalo?: WebhookReceiver; bodyLimitBytes?: number; readyTimeoutMs?: number } = {}) => {
    const metrics = createMetrics();
    server = createHttpServer({
      port: 0,
      host: "127.0.0.1",
      channels: [
        ...(options.telegram ? [{ name: "telegram", webhook: options.telegram }] : []),
        ...(options.zalo ? [{ name: "zalo", webhook: options.zalo }] : []),
      ],
      ready: options.ready ?? (async () => ({ ok: true, checks: { database: true } })),
      metrics,
      logger: captureLogger(),
      bodyLimitBytes: options.bodyLimitBytes,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    return { server, metrics };
  };

  it("answers /healthz and a ready /readyz with 200", async () => {
    const { server } = build();
    expect((await server.fastify.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await server.fastify.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, checks: { database: true } });
  });

  it("answers /readyz with 503 when not ready, when the check throws, or when it hangs", async () => {
    const notReady = build({ ready: async () => ({ ok: false, checks: { database: false, telegram: true } }) }).server;
    const res = await notReady.fastify.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ ok: false, checks: { database: false, telegram: true } });
    await notReady.close();

    const throwing = build({ ready: async () => Promise.reject(new Error("db down")) }).server;
    expect((await throwing.fastify.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    await throwing.close();

    const hanging = build({ ready: () => new Promise<Readiness>(() => {}), readyTimeoutMs: 20 }).server;
    expect((await hanging.fastify.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
  });

  it("serves Prometheus text on /metrics", async () => {
    const { server, metrics } = build();
    metrics.updateReceived("zalo");
    metrics.updateHandled("zalo", 0.02);
    const res = await server.fastify.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toMatch(/bot_updates_received_total\{channel="zalo"\} 1/);
    expect(res.body).toMatch(/bot_handler_duration_seconds_count\{channel="zalo"\} 1/);
  });

  it("accepts a webhook only with the right secret header, per platform", async () => {
    const telegram = recorder("x-telegram-bot-api-secret-token");
    const zalo = recorder("x-bot-api-secret-token");
    const { server, metrics } = build({ telegram, zalo });
    const post = (url: string, headers: Record<string, string>, payload: unknown = { update_id: 1 }) =>
      server.fastify.inject({ method: "POST", url, headers, payload: payload as Record<string, unknown> });

    expect((await post("/webhooks/telegram", {})).statusCode).toBe(401);
    expect((await post("/webhooks/telegram", { "x-telegram-bot-api-secret-token": "wrong" })).statusCode).toBe(401);
    // Zalo's header name does not open Telegram's door, and vice versa.
    expect((await post("/webhooks/telegram", { "x-bot-api-secret-token": SECRET })).statusCode).toBe(401);
    expect((await post("/webhooks/zalo", { "x-telegram-bot-api-secret-token": SECRET })).statusCode).toBe(401);
    expect(telegram.bodies).toEqual([]);
    expect(zalo.bodies).toEqual([]);

    expect((await post("/webhooks/telegram", { "x-telegram-bot-api-secret-token": SECRET })).statusCode).toBe(200);
    expect((await post("/webhooks/zalo", { "x-bot-api-secret-token": SECRET }, { bad: true })).statusCode).toBe(400);
    expect(telegram.bodies).toEqual([{ update_id: 1 }]);
    expect(zalo.bodies).toEqual([{ bad: true }]);
    expect(await metrics.render()).toMatch(/bot_webhook_rejected_total\{channel="telegram",reason="secret"\} 3/);
  });

  it("refuses oversized bodies with 413 and malformed JSON with 400", async () => {
    const telegram = recorder("x-telegram-bot-api-secret-token");
    const { server } = build({ telegram, bodyLimitBytes: 1024 });
    const headers = { "x-telegram-bot-api-secret-token": SECRET, "content-type": "application/json" };
    const big = await server.fastify.inject({
      method: "POST",
      url: "/webhooks/telegram",
      headers,
      payload: JSON.stringify({ update_id: 1, pad: "x".repeat(5000) }),
    });
    expect(big.statusCode).toBe(413);
    const bad = await server.fastify.inject({ method: "POST", url: "/webhooks/telegram", headers, payload: "{not json" });
    expect(bad.statusCode).toBe(400);
    expect(telegram.bodies).toEqual([]);
  });

  it("has no webhook routes for channels that are not in webhook mode", async () => {
    const { server } = build();
    const res = await server.fastify.inject({ method: "POST", url: "/webhooks/telegram", payload: { update_id: 1 } });
    expect(res.statusCode).toBe(404);
  });

  it("listens on a real port and closes", async () => {
    const { server } = build();
    const { port } = await server.listen();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    await server.close();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
