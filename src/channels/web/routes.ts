/**
 * The web channel's HTTP side, as a fastify plugin: `GET /chat` (the page), its two assets,
 * `GET /widget.js` (the bubble other sites embed), `GET /chat/socket` (the WebSocket) and
 * `POST /chat/forget` (drops the visitor cookie). Limits per IP on every route; the socket
 * also checks the page's Origin and the cookie's signature before the upgrade.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyWebsocket from "@fastify/websocket";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { LOCALES, type Locale, type Msg } from "../../engine/messages.js";
import { chatPage, pageTexts } from "./page.js";
import { MAX_FRAME_BYTES } from "./protocol.js";
import { OriginPolicy, ownOrigin } from "./origins.js";
import { isLocalDev, isVisitorId, newVisitorId, VISITOR_COOKIE, visitorCookieOptions } from "./visitor-cookie.js";
import { firstLanguage, type Visitor, type WebChannel } from "./web-channel.js";

/** What the routes need. */
export interface WebRoutesOptions {
  channel: WebChannel;
  render: (msg: Msg, locale: Locale) => string;
  defaultLocale: Locale;
  cookieSecret: string;
  allowedOrigins: readonly string[];
  /** Production: cookies are always Secure. */
  production: boolean;
  /** HTTP requests per IP per minute on these routes (default 120). */
  httpPerMinute?: number;
}

const publicDir = resolve(import.meta.dirname, "..", "..", "..", "src", "channels", "web", "public");
const asset = (name: string) => readFileSync(resolve(publicDir, name), "utf8");
const BASE_HEADERS = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" };

/** The plugin; register it on the bot's HTTP server. */
export function webRoutes(options: WebRoutesOptions) {
  const { channel, render } = options;
  const origins = new OriginPolicy(options.allowedOrigins);
  const script = asset("chat.js");
  const style = asset("chat.css");
  const version = createHash("sha256").update(script).update(style).digest("hex").slice(0, 10);
  const widgetLabels = Object.fromEntries(
    LOCALES.map((l) => {
      const s = pageTexts(render, l);
      return [l, { open: s.open_chat, close: s.close_chat, title: s.title }];
    }),
  );
  const widget = asset("widget.js")
    .replace("/*ALLOWED*/[]", JSON.stringify(origins.origins))
    .replace("/*LABELS*/{}", JSON.stringify(widgetLabels).replace(/</g, "\\u003c"));

  const localDev = (request: FastifyRequest) => isLocalDev(request.protocol, request.hostname, options.production);
  const setVisitor = (request: FastifyRequest, reply: FastifyReply, id: string) =>
    void reply.setCookie(VISITOR_COOKIE, id, visitorCookieOptions(localDev(request)));

  /** The visitor id in a valid signed cookie; "tampered" when a cookie is there but its signature or shape is wrong. */
  function cookieVisitor(request: FastifyRequest): string | "tampered" | undefined {
    const raw = request.cookies[VISITOR_COOKIE];
    if (raw === undefined) return undefined;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value !== null && isVisitorId(unsigned.value) ? unsigned.value : "tampered";
  }

  return async (scope: FastifyInstance): Promise<void> => {
    await scope.register(fastifyCookie, { secret: options.cookieSecret });
    await scope.register(fastifyRateLimit, { global: true, max: options.httpPerMinute ?? 120, timeWindow: 60_000 });
    await scope.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES } });

    scope.get<{ Querystring: { embed?: string } }>("/chat", async (request, reply) => {
      const known = cookieVisitor(request);
      // A fresh id for a new visitor or a bad cookie; a good one is renewed (the visitor came back).
      setVisitor(request, reply, known === undefined || known === "tampered" ? newVisitorId() : known);
      const locale = firstLanguage(request.headers["accept-language"]) ?? options.defaultLocale;
      const host = ownOrigin(request.protocol, request.headers.host)?.replace(/^https?:\/\//, "");
      // The socket, named with both schemes: behind a TLS proxy the request arrives as http.
      const sockets = host ? ` ws://${host} wss://${host}` : "";
      return reply
        .headers({ ...BASE_HEADERS, "cache-control": "no-store", "content-security-policy": origins.pageCsp().replace("connect-src 'self'", `connect-src 'self'${sockets}`) })
        .type("text/html; charset=utf-8")
        .send(chatPage(render, locale, request.query.embed === "1", version));
    });

    scope.get("/chat/assets/chat.js", async (_request, reply) =>
      reply.headers({ ...BASE_HEADERS, "cache-control": "public, max-age=86400" }).type("text/javascript; charset=utf-8").send(script));
    scope.get("/chat/assets/chat.css", async (_request, reply) =>
      reply.headers({ ...BASE_HEADERS, "cache-control": "public, max-age=86400" }).type("text/css; charset=utf-8").send(style));

    scope.get("/widget.js", async (request, reply) => {
      const origin = request.headers.origin;
      // CORS only for the sites that may embed the chat (a plain <script> tag needs none; fetch() does).
      if (origins.embeds(origin)) void reply.headers({ "access-control-allow-origin": origin!, vary: "Origin" });
      return reply
        .headers({ ...BASE_HEADERS, "cache-control": "public, max-age=3600", "cross-origin-resource-policy": "cross-origin" })
        .type("text/javascript; charset=utf-8")
        .send(widget);
    });

    scope.post("/chat/forget", async (request, reply) => {
      if (!origins.socketAllowed(request.headers.origin, ownOrigin(request.protocol, request.headers.host))) return reply.code(403).send({ ok: false });
      // A new, unrelated id: the old one's data is gone.
      setVisitor(request, reply, newVisitorId());
      return reply.headers(BASE_HEADERS).send({ ok: true });
    });

    scope.get("/chat/socket", {
      websocket: true,
      // Before the upgrade: a page from another site, or a forged cookie, never gets a socket.
      preValidation: async (request, reply) => {
        if (!origins.socketAllowed(request.headers.origin, ownOrigin(request.protocol, request.headers.host))) {
          await reply.code(403).send({ ok: false, error: "origin" });
          return;
        }
        if (cookieVisitor(request) === "tampered") await reply.code(401).send({ ok: false, error: "cookie" });
      },
    }, (socket, request) => {
      const known = cookieVisitor(request);
      const visitor: Visitor = typeof known === "string" && known !== "tampered" ? { id: known, persistent: true } : { id: newVisitorId(), persistent: false };
      const connection = channel.connect(socket, visitor, request.ip, request.headers["accept-language"]);
      if (!connection) return;
      socket.on("message", (data, isBinary) => connection.receive(isBinary ? "" : data.toString()));
      socket.on("close", () => connection.closed());
      socket.on("error", () => socket.terminate());
    });
  };
}
