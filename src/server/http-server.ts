/**
 * The HTTP side of the bot (fastify): the channels' webhooks (each channel verifies its own
 * requests) and routes, liveness and readiness probes, and Prometheus metrics. Request bodies
 * are size-limited.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Channel } from "../channels/shared/channel.js";
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
  /** The running channels: each one's webhook is mounted at `POST /webhooks/<name>`, and its own routes added. */
  channels?: Iterable<Pick<Channel, "name" | "webhook" | "http">>;
  ready: () => Promise<Readiness>;
  metrics: Metrics;
  logger: Logger;
  /** Largest accepted request body (default 1 MiB; larger → 413). */
  bodyLimitBytes?: number;
  /** Single-use file links (`GET`/`POST /files/:token`) for channels that cannot send files. */
  files?: FileLinkServer;
  /** More route plugins of the bot's own (the staff console), each in its own scope. */
  routes?: readonly ((app: FastifyInstance) => Promise<void>)[];
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

  for (const channel of options.channels ?? []) {
    if (channel.webhook) void app.register(webhookRoute(channel.name, channel.webhook, metrics));
    if (channel.http) void app.register(channel.http);
  }

  if (options.files) void app.register(fileRoutes(options.files));
  for (const routes of options.routes ?? []) void app.register(routes);

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

/**
 * `POST /webhooks/<channel>` in its own scope: the JSON body is kept as its exact bytes too, so the
 * channel can check a signature of the raw body; `authorize` runs before the body is read.
 */
function webhookRoute(channel: string, receiver: WebhookReceiver, metrics: Metrics) {
  return async (scope: FastifyInstance): Promise<void> => {
    const rawBodies = new WeakMap<FastifyRequest, Buffer>();
    scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, raw: Buffer, done) => {
      rawBodies.set(request, raw);
      try {
        done(null, raw.length === 0 ? undefined : JSON.parse(raw.toString("utf8")));
      } catch {
        done(Object.assign(new Error("body is not JSON"), { statusCode: 400 }), undefined);
      }
    });
    const refuse = async (reply: FastifyReply) => {
      metrics.webhookRejected(channel, "secret");
      await reply.code(401).send({ ok: false, error: "unauthorized" });
    };
    const authorize = receiver.authorize?.bind(receiver);
    const verify = receiver.verify?.bind(receiver);
    scope.post(`/webhooks/${channel}`, {
      // Checked before the body is read: an unauthenticated request costs nothing and changes nothing.
      ...(authorize ? { onRequest: async (request: FastifyRequest, reply: FastifyReply) => (authorize(request.headers) ? undefined : refuse(reply)) } : {}),
      ...(verify
        ? { preHandler: async (request: FastifyRequest, reply: FastifyReply) => (verify({ headers: request.headers, rawBody: rawBodies.get(request) ?? Buffer.alloc(0) }) ? undefined : refuse(reply)) }
        : {}),
      handler: async (request, reply) => {
        const receipt = await receiver.receive(request.body);
        return reply.code(RECEIPT_STATUS[receipt]).send({ ok: receipt === "accepted" || receipt === "duplicate" });
      },
    });
  };
}

/** Rejects when `promise` takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
