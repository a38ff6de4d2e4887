/**
 * The HTTP side of the bot (fastify): platform webhooks guarded by their secret headers,
 * liveness and readiness probes, and Prometheus metrics. Request bodies are size-limited.
 */
import { timingSafeEqual } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { ChannelName } from "../engine/messages.js";
import { describeError } from "../channels/shared/describe-error.js";
import type { Logger } from "../shared/logger.js";
import type { WebhookReceipt, WebhookReceiver } from "../channels/shared/webhook.js";
import { fileRoutes, type FileLinkServer } from "./file-routes.js";
import type { Metrics } from "./metrics.js";

/** What `/readyz` reports: overall readiness plus each check (database, channels…). */
export interface Readiness {
  ok: boolean;
  checks: Record<string, boolean>;
}

/** Options for `createHttpServer`. */
export interface HttpServerOptions {
  /** PORT. */
  port: number;
  /** Interface to bind (default 0.0.0.0; tests use 127.0.0.1). */
  host?: string;
  /** The Telegram channel's receiver when it runs in webhook mode. */
  telegramWebhook?: WebhookReceiver;
  /** The Zalo channel's receiver when it runs in webhook mode. */
  zaloWebhook?: WebhookReceiver;
  ready: () => Promise<Readiness>;
  metrics: Metrics;
  logger: Logger;
  /** Largest accepted request body (default 1 MiB; larger → 413). */
  bodyLimitBytes?: number;
  /** Single-use file links (`GET`/`POST /files/:token`) for channels that cannot send files. */
  files?: FileLinkServer;
  /** How long `/readyz` waits for `ready()` before answering 503 (default 3 s). */
  readyTimeoutMs?: number;
}

/** A created (not yet listening) HTTP server. */
export interface HttpServer {
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<{ port: number }>;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
  /** The fastify instance (for `inject` in tests). */
  readonly fastify: FastifyInstance;
}

/** The header each platform puts its webhook secret in. */
export const WEBHOOK_SECRET_HEADERS: Record<"telegram" | "zalo", string> = {
  telegram: "x-telegram-bot-api-secret-token",
  zalo: "x-bot-api-secret-token",
};

const RECEIPT_STATUS: Record<WebhookReceipt, number> = { accepted: 200, duplicate: 200, invalid: 400, busy: 503 };

/** Builds the server and its routes. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { metrics, logger } = options;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 });

  app.addHook("onError", async (request, _reply, error) => {
    logger.warn({ route: request.routeOptions.url, ...describeError(error) }, "http request failed");
  });
  // Nobody outside learns anything from an error: a request's own fault (bad JSON, too large, wrong
  // content type) keeps its 4xx, anything else is 503 (a platform retries later); the body is bare.
  app.setErrorHandler(async (error: { statusCode?: number }, _request, reply) => {
    const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 503;
    return reply.code(status).send({ ok: false });
  });

  const mount = (channel: "telegram" | "zalo", receiver: WebhookReceiver | undefined): void => {
    if (!receiver) return;
    const header = WEBHOOK_SECRET_HEADERS[channel];
    app.post(`/webhooks/${channel}`, {
      // Checked before the body is read: an unauthenticated request costs nothing and changes nothing.
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        if (!secretMatches(request.headers[header], receiver.secret)) {
          metrics.webhookRejected(channel as ChannelName, "secret");
          await reply.code(401).send({ ok: false, error: "unauthorized" });
        }
      },
      handler: async (request, reply) => {
        const receipt = await receiver.receive(request.body);
        return reply.code(RECEIPT_STATUS[receipt]).send({ ok: receipt === "accepted" || receipt === "duplicate" });
      },
    });
  };
  mount("telegram", options.telegramWebhook);
  mount("zalo", options.zaloWebhook);

  if (options.files) void app.register(fileRoutes(options.files));

  app.get("/healthz", async () => ({ ok: true }));

  app.get("/readyz", async (_request, reply) => {
    const readiness = await withTimeout(options.ready(), options.readyTimeoutMs ?? 3_000).catch(
      (error: unknown): Readiness => {
        logger.warn({ ...describeError(error) }, "readiness check failed");
        return { ok: false, checks: {} };
      },
    );
    return reply.code(readiness.ok ? 200 : 503).send(readiness);
  });

  app.get("/metrics", async (_request, reply) => {
    const text = await metrics.render();
    return reply.header("content-type", metrics.contentType).send(text);
  });

  return {
    fastify: app,
    async listen() {
      await app.listen({ port: options.port, host: options.host ?? "0.0.0.0" });
      const address = app.server.address();
      return { port: typeof address === "object" && address ? address.port : options.port };
    },
    close: () => app.close(),
  };
}

/** Constant-time comparison of a header value with the expected secret. */
function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string" || expected === "") return false;
  const a = Buffer.from(given, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Rejects when `promise` takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
