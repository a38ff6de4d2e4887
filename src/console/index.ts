/**
 * The staff console: server-rendered pages under `/console`, signed in through a single-use link
 * the bot gives staff (`/web`), with the session kept in the database. Every request is checked
 * against the staff list as it is now, every change must carry the session's CSRF token from
 * the console's own origin, and every change is recorded (who, what, when). Pages come from the
 * registry in `pages/index.ts` and only call the services the chat and the CLI use.
 */
import { fieldsOf } from "../shared/guards.js";
import { resolve } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifyView from "@fastify/view";
import { Eta } from "eta";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../composition/services.js";
import type { LinkRefusal } from "../db/console-repo.js";
import { LOCALES, type I18nKey, type Locale, type Msg } from "../engine/messages.js";
import { formatDate, formatNumber } from "../i18n/format-param.js";
import { isLocalDev } from "../server/local-dev.js";
import { errorFields } from "../shared/error-fields.js";
import type { Logger } from "../shared/logger.js";
import { parseUserKey } from "../shared/user-key.js";
import type { ConsoleContext, ConsoleTexts, ConsoleUser, PageFrame } from "./context.js";
import type { ConsolePage } from "./define-page.js";
import { consolePages } from "./pages/index.js";
import { CONSOLE_HEADERS, csrfMatches, sameOrigin } from "./security.js";

/** The session cookie's name. */
export const CONSOLE_COOKIE = "nscl_console";
/** A session ends this long after sign-in, or after this long unused. */
export const SESSION_TTL_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 2 * 3_600_000;
/** `seenAt` is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;

const root = resolve(import.meta.dirname, "..", "..");
const VIEWS = resolve(root, "src", "console", "views");
/** The console's own files and the three libraries it uses, served by name only. */
const ASSET_ROOTS = [
  resolve(root, "src", "console", "public"),
  resolve(root, "node_modules", "@picocss", "pico", "css"),
  resolve(root, "node_modules", "htmx.org", "dist"),
  resolve(root, "node_modules", "uplot", "dist"),
];
const ASSETS = new Set(["console.css", "console.js", "overview.js", "pico.min.css", "htmx.min.js", "uPlot.iife.min.js", "uPlot.min.css"]);
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** What the console is built from. */
export interface ConsoleOptions {
  services: Services;
  render: (msg: Msg, locale: Locale) => string;
  defaultLocale: Locale;
  timeZone: string;
  production: boolean;
  /** The address people reach the bot at (`PUBLIC_URL`, or in development the bound localhost port). */
  publicUrl: () => string | undefined;
  logger: Logger;
  /** Sign-in attempts (link POSTs) per IP per minute. */
  signinPerMinute: number;
  /** The pages (default: the registry). */
  pages?: readonly ConsolePage[];
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The console's audit action name: required on every route that changes something (see `define-page.ts`). */
    audit?: string;
  }
  interface FastifyRequest {
    /** The signed-in staff member on console pages. */
    consoleUser: ConsoleUser | null;
  }
}

/** The console as a fastify plugin for the bot's HTTP server. */
export function consoleRoutes(options: ConsoleOptions) {
  const { services, logger } = options;
  const repo = services.repos.console;
  const now = services.now;
  const pages = options.pages ?? consolePages;

  const textsCache = new Map<Locale, ConsoleTexts>();
  const texts = (locale: Locale): ConsoleTexts => {
    let found = textsCache.get(locale);
    if (!found) {
      found = {
        locale,
        // Templates name keys as strings; flows:check and the console's key test check each exists in both languages.
        t: (key, params) => options.render({ key: key as I18nKey, ...(params ? { params } : {}) }, locale),
        dateTime: (date) => (date ? formatDate(date, locale, options.timeZone) : ""),
        number: (value) => formatNumber(value, locale),
      };
      textsCache.set(locale, found);
    }
    return found;
  };
  /** The language of a page shown before sign-in: `?lang=`, else the browser's, else the default. */
  const guestLocale = (request: FastifyRequest): Locale => {
    const asked = fieldsOf(request.query).lang;
    if (asked === "vi" || asked === "en") return asked;
    const accept = request.headers["accept-language"] ?? "";
    return /^\s*en\b/i.test(accept) ? "en" : /^\s*vi\b/i.test(accept) ? "vi" : options.defaultLocale;
  };
  const cookieOptions = (request: FastifyRequest) => ({
    path: "/console",
    httpOnly: true,
    secure: !isLocalDev(request.protocol, request.hostname, options.production),
    sameSite: "strict" as const,
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });

  return async (app: FastifyInstance): Promise<void> => {
    await app.register(fastifyCookie);
    await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
    await app.register(fastifyRateLimit, { global: false });
    await app.register(fastifyView, { engine: { eta: new Eta({ views: VIEWS, cache: options.production }) }, templates: VIEWS, production: options.production });
    await app.register(fastifyStatic, {
      root: ASSET_ROOTS,
      prefix: "/console/assets/",
      allowedPath: (path) => ASSETS.has(path.replace(/^\//, "")),
      maxAge: options.production ? 3_600_000 : 0,
      index: false,
      list: false,
    });
    app.decorateRequest("consoleUser", null);
    app.addHook("onSend", async (_request, reply, payload) => {
      reply.headers(CONSOLE_HEADERS);
      return payload;
    });

    /** Renders a view inside the layout (or alone, for an htmx fragment). */
    async function page(request: FastifyRequest, reply: FastifyReply, view: string, frame: PageFrame, data: Record<string, unknown> = {}, opts: { status?: number; fragment?: boolean; locale?: Locale } = {}) {
      const user = request.consoleUser;
      const locale = opts.locale ?? user?.locale ?? guestLocale(request);
      const common = { texts: texts(locale), frame, user, csrf: user?.session.csrf ?? "", nav: user ? pages : [], locales: LOCALES, path: request.url };
      const body = await app.view(view, { ...common, ...data });
      const html = opts.fragment && request.headers["hx-request"] === "true" ? body : await app.view("layout", { ...common, body });
      return reply.code(opts.status ?? 200).type("text/html; charset=utf-8").send(html);
    }

    const ctx: ConsoleContext = {
      services,
      now,
      timeZone: options.timeZone,
      publicUrl: options.publicUrl,
      render: options.render,
      texts,
      user(request) {
        if (!request.consoleUser) throw new Error("console: no signed-in staff member on this request");
        return request.consoleUser;
      },
      page,
      async audit(request, action, target = null, result = null) {
        const by = request.consoleUser?.staffKey ?? "anonymous";
        await repo.audit({ by, via: "console", action, target, result }, now());
      },
    };

    app.setErrorHandler(async (error: { statusCode?: number; validation?: unknown }, request, reply) => {
      const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status >= 500) logger.warn({ route: request.routeOptions.url, ...errorFields(error) }, "console request failed");
      return page(request, reply, "message", { nav: "", title: "console:errors.title" }, { message: status === 429 ? "console:errors.rate_limited" : status >= 500 ? "console:errors.server" : "console:errors.bad_request" }, { status });
    });

    // Signing in: the link from the bot shows a confirmation (link previews and scanners only GET),
    // and only its POST uses the link and starts the session.
    const refusedLink = (request: FastifyRequest, reply: FastifyReply, why: LinkRefusal) =>
      page(request, reply, "message", { nav: "", title: "console:signin.title" }, { message: `console:signin.refused.${why}`, hint: "console:signin.get_link" }, { status: why === "unknown" ? 404 : 410 });
    const signinLimit = { rateLimit: { max: options.signinPerMinute, timeWindow: 60_000 } };
    app.get<{ Params: { token: string } }>("/console/signin/:token", async (request, reply) => {
      const found = await repo.peekLink(request.params.token, now());
      if (typeof found === "string") return refusedLink(request, reply, found);
      return page(request, reply, "signin", { nav: "", title: "console:signin.title" }, { staffKey: found.staffKey, action: `/console/signin/${encodeURIComponent(request.params.token)}` });
    });
    app.post<{ Params: { token: string } }>("/console/signin/:token", { config: signinLimit }, async (request, reply) => {
      if (!sameOrigin(request.headers, request.headers.host)) return refusedLink(request, reply, "unknown");
      const found = await repo.takeLink(request.params.token, now());
      if (typeof found === "string") return refusedLink(request, reply, found);
      const { token, session } = await repo.createSession(found.staffKey, guestLocale(request), now(), SESSION_TTL_MS);
      await repo.audit({ by: found.staffKey, via: "console", action: "signin", target: null, result: "ok" }, now());
      logger.info({ session: session.id.slice(0, 8) }, "console: staff signed in");
      return reply.setCookie(CONSOLE_COOKIE, token, cookieOptions(request)).redirect("/console", 303);
    });
    app.get("/console/signed-out", async (request, reply) => {
      const reason = fieldsOf(request.query).reason;
      const message = reason === "removed" ? "console:signed_out.removed" : reason === "ended" ? "console:signed_out.ended" : "console:signed_out.none";
      return page(request, reply, "message", { nav: "", title: "console:signed_out.title" }, { message, hint: "console:signin.get_link" });
    });

    // Everything else needs a live session of someone who is staff right now.
    await app.register(async (scope) => {
      scope.addHook("onRoute", (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        if (methods.some((m) => UNSAFE.has(m)) && !route.config?.audit) throw new Error(`console: ${route.url} changes something but names no audit action`);
      });
      scope.addHook("onRequest", async (request, reply) => {
        const signedOut = async (reason: "none" | "removed") => {
          const to = `/console/signed-out?reason=${reason}`;
          if (request.headers["hx-request"] === "true") return reply.code(401).header("hx-redirect", to).send();
          return request.method === "GET" ? reply.redirect(to, 303) : reply.code(401).send();
        };
        const token = request.cookies[CONSOLE_COOKIE];
        const at = now();
        const session = token ? await repo.findSession(token, at, SESSION_IDLE_MS) : undefined;
        if (!session) return signedOut("none");
        const ref = parseUserKey(session.staffKey);
        if (!ref || !(await services.staff.access.isStaffNow(ref))) {
          await repo.endSession(session.id);
          void reply.clearCookie(CONSOLE_COOKIE, { path: "/console" });
          return signedOut("removed");
        }
        if (at.getTime() - session.seenAt.getTime() > TOUCH_EVERY_MS) await repo.touch(session.id, at);
        request.consoleUser = { session, staffKey: session.staffKey, locale: session.locale };
        return undefined;
      });
      // A change must come from the console's own page and carry the session's token.
      scope.addHook("preHandler", async (request, reply) => {
        if (!UNSAFE.has(request.method)) return undefined;
        const user = request.consoleUser;
        const body = fieldsOf(request.body);
        const given = body?._csrf ?? request.headers["x-csrf-token"];
        if (user && sameOrigin(request.headers, request.headers.host) && csrfMatches(given, user.session.csrf)) return undefined;
        await repo.audit({ by: user?.staffKey ?? "anonymous", via: "console", action: "csrf.refused", target: request.routeOptions.url ?? null, result: "403" }, now());
        return page(request, reply, "message", { nav: "", title: "console:errors.title" }, { message: "console:errors.csrf" }, { status: 403 });
      });
      // The audit trail: every change (and every audited read, e.g. an export) with its outcome,
      // written before the answer leaves, so what staff were told happened is on record.
      scope.addHook("onSend", async (request, reply, payload) => {
        const action = request.routeOptions.config.audit;
        if (!action || reply.statusCode === 403 || !request.consoleUser) return payload;
        const params = fieldsOf(request.params);
        const target = typeof params?.id === "string" ? params.id : null;
        await repo.audit({ by: request.consoleUser.staffKey, via: "console", action, target, result: String(reply.statusCode) }, now()).catch((error: unknown) => logger.warn(errorFields(error), "console: audit record not written"));
        return payload;
      });

      scope.post("/console/signout", { config: { audit: "signout" } }, async (request, reply) => {
        await repo.endSession(ctx.user(request).session.id);
        return reply.clearCookie(CONSOLE_COOKIE, { path: "/console" }).redirect("/console/signed-out?reason=ended", 303);
      });
      scope.post<{ Body: { locale?: string; back?: string } }>("/console/locale", { config: { audit: "locale" } }, async (request, reply) => {
        const locale = request.body.locale === "en" ? "en" : "vi";
        await repo.setLocale(ctx.user(request).session.id, locale);
        const back = typeof request.body.back === "string" && /^\/console(\/[\w\-/?=&%.]*)?$/.test(request.body.back) ? request.body.back : "/console";
        return reply.redirect(back, 303);
      });
      for (const consolePage of pages) consolePage.routes(scope, ctx);
    });
  };
}
