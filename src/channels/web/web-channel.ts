/**
 * The web channel's core, free of HTTP: visitors' open sockets, admission of their messages
 * (stored in the inbox, then acknowledged), handling in order per visitor through the same bot
 * as every channel, replies pushed live and kept in the visitor's history, and the `Sender`
 * that stores announcements for visitors who are away. `routes.ts` connects it to fastify.
 */
import type { Bot, Incoming, Locale, Msg, Outgoing, OutgoingDocument, Sender, SendResult } from "../../engine/messages.js";
import { LOCALES } from "../../engine/messages.js";
import { channelNotReady, DEFAULT_CONCURRENCY, type Channel } from "../shared/channel.js";
import type { ChannelMetrics } from "../shared/channel-metrics.js";
import { describeError } from "../shared/describe-error.js";
import { handleIncoming } from "../shared/handle-incoming.js";
import { drainQueue, KeyedQueue } from "../../shared/keyed-queue.js";
import type { Logger } from "../../shared/logger.js";
import { RecentIds } from "../shared/recent-ids.js";
import { splitText } from "../shared/split-text.js";
import { createUpdateAdmission, updateKey, type UpdateInbox } from "../shared/update-admission.js";
import { parseClientFrame, type ChatEntry, type ErrorCode, type MessageFrame, type ServerFrame } from "./protocol.js";
import { RateBuckets } from "./rate-buckets.js";
import { WEB_TEXT_LIMIT } from "./settings.js";
import type { WebHistory } from "./web-history.js";

/** The part of a WebSocket the channel uses (the `ws` socket has it; tests pass fakes). */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Who is on a socket: the visitor id from the cookie, or a fresh one when the browser sent none. */
export interface Visitor {
  id: string;
  /** False when the browser keeps no cookie for us (e.g. a third-party frame that blocks it). */
  persistent: boolean;
}

/** Message limits per visitor and per IP address (messages per minute, burst). */
export interface WebLimits {
  visitorPerMinute: number;
  ipPerMinute: number;
  /** Open sockets per IP address. */
  socketsPerIp: number;
}

/** The default limits (a person types far slower; a burst of button presses is allowed). */
export const DEFAULT_WEB_LIMITS: WebLimits = { visitorPerMinute: 30, ipPerMinute: 300, socketsPerIp: 50 };

/** Options for `createWebChannel`. */
export interface WebChannelOptions {
  bot: Bot;
  metrics: ChannelMetrics;
  logger: Logger;
  history: WebHistory;
  /** Renders the channel's own texts (errors, file links). */
  render: (msg: Msg, locale: Locale) => string;
  defaultLocale: Locale;
  /** Switches a visitor's conversation language (the session store; see `session-locale.ts`). */
  setLocale: (key: string, locale: Locale) => Promise<void>;
  /** The language stored for a visitor, if any (the contact book). */
  localeOf?: (key: string) => Promise<string | undefined>;
  inbox?: UpdateInbox;
  /** Files as single-use links (the file-links store); without it a file is described, not linked. */
  files?: { create(doc: OutgoingDocument, owner: string, now: Date, expiresAt: Date): Promise<string>; ttlMs: number };
  limits?: Partial<WebLimits>;
  concurrency?: number;
  maxPending?: number;
  drainTimeoutMs?: number;
  /** Histories idle this long are deleted (default 30 days). */
  historyIdleMs?: number;
  now?: () => Date;
}

export { WEB_TEXT_LIMIT };
/** The message id of the greeting a first visit gets. */
const GREETING_ID = "greeting";
/** Invalid frames tolerated on one socket before it is closed. */
const MAX_BAD_FRAMES = 5;

/** What the routes see of a connection. */
export interface Connection {
  receive(raw: string): void;
  closed(): void;
}

/** The web channel: a `Channel` plus what the HTTP routes call. */
export interface WebChannel extends Channel {
  /** A socket opened; returns the handlers for its frames and its end. */
  connect(socket: SocketLike, visitor: Visitor, ip: string, acceptLanguage?: string): Connection | undefined;
  /** A visitor's data was erased: drop the history and tell their pages to forget the cookie. */
  forget(key: string): Promise<void>;
  /** Open sockets (for tests and metrics). */
  readonly sockets: number;
}

interface StoredUpdate {
  v: string;
  f: MessageFrame;
}

/** Creates the web channel; it takes messages once `start()` ran. */
export function createWebChannel(options: WebChannelOptions): WebChannel {
  const { bot, metrics, logger, history } = options;
  const now = options.now ?? (() => new Date());
  const limits = { ...DEFAULT_WEB_LIMITS, ...options.limits };
  const maxPending = options.maxPending ?? 1_000;
  const admission = createUpdateAdmission({ channel: "web", metrics, logger, inbox: options.inbox });
  const queue = new KeyedQueue({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    maxPending,
    onError: (error) => logger.error({ channel: "web", ...describeError(error) }, "queued task failed"),
  });
  const perVisitor = new RateBuckets({ perMinute: limits.visitorPerMinute, burst: Math.max(5, Math.ceil(limits.visitorPerMinute / 3)) });
  const perIp = new RateBuckets({ perMinute: limits.ipPerMinute, burst: Math.max(10, Math.ceil(limits.ipPerMinute / 3)) });
  const open = new Map<string, Set<SocketLike>>();
  const socketsByIp = new Map<string, number>();
  const erased = new RecentIds(10_000);
  let running = false;
  let pruneTimer: NodeJS.Timeout | undefined;

  const keyOf = (visitorId: string) => `web:${visitorId}`;
  const t = (key: Msg["key"], locale: Locale, params?: Msg["params"]) => options.render({ key, ...(params ? { params } : {}) }, locale);

  function push(visitorId: string, frame: ServerFrame, except?: SocketLike): void {
    const data = JSON.stringify(frame);
    for (const socket of open.get(visitorId) ?? []) {
      if (socket === except) continue;
      try {
        socket.send(data);
      } catch {
        // A socket closing under us: its close handler removes it.
      }
    }
  }
  const sendTo = (socket: SocketLike, frame: ServerFrame) => {
    try {
      socket.send(JSON.stringify(frame));
    } catch {
      // Closing: nothing to tell.
    }
  };

  /** One reply as the bubbles the page shows: long text split, the buttons on the last part. */
  async function toEntries(out: Outgoing, owner: string): Promise<ChatEntry[]> {
    const locale = out.locale ?? options.defaultLocale;
    const at = now().getTime();
    const parts = out.text.trim() === "" ? [] : splitText(out.text, WEB_TEXT_LIMIT);
    const entries: ChatEntry[] = parts.map((text) => ({ from: "bot", text, locale, at }));
    if (out.document) entries.push(await fileEntry(out.document, owner, locale, at));
    if (entries.length === 0 && (out.choices?.length || out.shortcuts?.length)) entries.push({ from: "bot", text: "", locale, at });
    const last = entries[entries.length - 1];
    if (last) {
      if (out.choices?.length) last.choices = out.choices.map(({ id, label }) => ({ id, label }));
      if (out.shortcuts?.length) last.shortcuts = out.shortcuts.map(({ id, label }) => ({ id, label }));
    }
    return entries;
  }

  async function fileEntry(doc: OutgoingDocument, owner: string, locale: Locale, at: number): Promise<ChatEntry> {
    if (!options.files) return { from: "bot", text: t("web:file.unavailable", locale, { filename: doc.filename }), locale, at };
    try {
      const issued = now();
      const token = await options.files.create(doc, owner, issued, new Date(issued.getTime() + options.files.ttlMs));
      const minutes = Math.round(options.files.ttlMs / 60_000);
      return { from: "bot", text: t("web:file.ready", locale, { filename: doc.filename, minutes }), file: { name: doc.filename, url: `/files/${token}`, label: t("web:file.download", locale, { filename: doc.filename }) }, locale, at };
    } catch {
      return { from: "bot", text: t("web:file.failed", locale, { filename: doc.filename }), locale, at };
    }
  }

  /** Stores (unless the visitor was just erased) and pushes the entries of one exchange. */
  async function deliver(visitorId: string, entries: ChatEntry[], userEntry?: ChatEntry, from?: SocketLike): Promise<void> {
    const forgotten = erased.has(visitorId);
    if (!forgotten) {
      try {
        await history.append(keyOf(visitorId), userEntry ? [userEntry, ...entries] : entries, now());
      } catch (error) {
        // Still shown now; only a reload would miss it.
        logger.warn({ channel: "web", ...describeError(error) }, "web history not saved");
      }
    }
    if (userEntry) push(visitorId, { t: "msg", entry: userEntry }, from);
    for (const entry of entries) {
      push(visitorId, { t: "msg", entry });
      metrics.messageSent("web");
    }
    if (forgotten) push(visitorId, { t: "erased" });
  }

  function toIncoming(visitorId: string, frame: MessageFrame): Incoming {
    const user = { channel: "web" as const, userId: visitorId };
    const base = { user, updateKey: updateKey("web", `${visitorId}:${frame.id}`), ...(frame.lang ? { localeHint: frame.lang } : {}) };
    return frame.t === "text" ? { ...base, kind: "text", text: frame.text } : { ...base, kind: "choice", choiceId: frame.choiceId };
  }

  /** Queues a stored message behind the visitor's earlier ones; `handled` is told when it was. */
  function enqueue(visitorId: string, frame: MessageFrame, handled: () => void | Promise<void>, from?: SocketLike): void {
    const incoming = toIncoming(visitorId, frame);
    // The greeting's "/start" is the page opening, not something the visitor said.
    const userEntry: ChatEntry | undefined = frame.id === GREETING_ID ? undefined : { from: "user", text: frame.t === "text" ? frame.text : (frame.label ?? frame.choiceId), at: now().getTime() };
    const task = async () => {
      push(visitorId, { t: "typing", on: true });
      try {
        await handleIncoming({ channel: "web", bot, metrics, logger }, incoming, async (replies) => {
          const entries = (await Promise.all(replies.map((r) => toEntries(r, keyOf(visitorId))))).flat();
          await deliver(visitorId, entries, userEntry, from);
        });
      } finally {
        push(visitorId, { t: "typing", on: false });
        await handled();
      }
    };
    queue.push(visitorId, task, true);
  }

  async function admit(socket: SocketLike, visitor: Visitor, frame: MessageFrame): Promise<void> {
    const id = `${visitor.id}:${frame.id}`;
    const stored: StoredUpdate = { v: visitor.id, f: frame };
    const verdict = await admission.admit(id, stored);
    if (verdict === "busy") return refuse(socket, "busy", frame.id);
    // Acknowledged only now: the message is stored, a crash from here on replays it.
    sendTo(socket, { t: "ack", id: frame.id });
    if (verdict === "new") enqueue(visitor.id, frame, () => admission.done(id), socket);
  }

  function refuse(socket: SocketLike, code: ErrorCode, id: string | undefined, locale: Locale = options.defaultLocale): void {
    sendTo(socket, { t: "error", code, text: t(`web:errors.${code}`, locale), ...(id ? { id } : {}) });
  }

  async function hello(socket: SocketLike, visitor: Visitor, hint: Locale | undefined): Promise<void> {
    const key = keyOf(visitor.id);
    let entries: ChatEntry[] = [];
    let stored: string | undefined;
    try {
      [entries, stored] = await Promise.all([visitor.persistent ? history.recent(key) : Promise.resolve([]), options.localeOf?.(key)]);
    } catch (error) {
      logger.warn({ channel: "web", ...describeError(error) }, "web history not read");
    }
    const locale = LOCALES.find((l) => l === stored) ?? entries.findLast((e) => e.locale)?.locale;
    sendTo(socket, { t: "hello", history: entries, ...(locale ? { locale } : {}), persistent: visitor.persistent });
    // A first visit: the bot greets with its menu, as if the visitor had pressed Start (once per visitor: the inbox key).
    if (entries.length === 0) await admit(socket, visitor, { t: "text", id: GREETING_ID, text: "/start", ...(hint ? { lang: hint } : {}) });
  }

  function connect(socket: SocketLike, visitor: Visitor, ip: string, acceptLanguage?: string): Connection | undefined {
    const count = socketsByIp.get(ip) ?? 0;
    if (!running || count >= limits.socketsPerIp || queue.full) {
      refuse(socket, !running || queue.full ? "busy" : "rate_limited", undefined);
      socket.close(1013, "try again later");
      return undefined;
    }
    socketsByIp.set(ip, count + 1);
    let set = open.get(visitor.id);
    if (!set) open.set(visitor.id, (set = new Set()));
    set.add(socket);
    const hint = firstLanguage(acceptLanguage);
    let bad = 0;
    let chain = hello(socket, visitor, hint);
    const after = (work: () => Promise<void>) => {
      // A socket's frames are admitted in the order they came (per-visitor order starts here).
      chain = chain.then(work).catch((error: unknown) => logger.warn({ channel: "web", ...describeError(error) }, "web frame failed"));
    };
    return {
      receive(raw) {
        const frame = parseClientFrame(raw);
        if (!frame) {
          metrics.updateInvalid("web");
          refuse(socket, "bad_frame", undefined);
          if (++bad >= MAX_BAD_FRAMES) socket.close(1008, "bad frames");
          return;
        }
        if (frame.t === "locale") {
          after(async () => {
            await options.setLocale(keyOf(visitor.id), frame.locale);
            push(visitor.id, { t: "locale", locale: frame.locale });
          });
          return;
        }
        if (!perVisitor.take(visitor.id) || !perIp.take(ip)) {
          metrics.webhookRejected("web", "rate_limited");
          refuse(socket, "rate_limited", frame.id, LOCALES.find((l) => frame.lang?.toLowerCase().startsWith(l)) ?? options.defaultLocale);
          return;
        }
        after(() => admit(socket, visitor, frame));
      },
      closed() {
        set.delete(socket);
        if (set.size === 0) open.delete(visitor.id);
        const left = (socketsByIp.get(ip) ?? 1) - 1;
        if (left <= 0) socketsByIp.delete(ip);
        else socketsByIp.set(ip, left);
      },
    };
  }

  const sender: Sender = {
    channel: "web",
    // Outside a conversation (announcements, reminders): kept in the history, shown live or at the next visit.
    async send(userId, message): Promise<SendResult> {
      try {
        const entries = await toEntries(message, keyOf(userId));
        await history.append(keyOf(userId), entries, now());
        for (const entry of entries) push(userId, { t: "msg", entry });
        metrics.messageSent("web");
        return { ok: true };
      } catch (error) {
        metrics.sendFailed("web", "transient");
        logger.warn({ channel: "web", ...describeError(error) }, "web message not stored");
        return { ok: false, kind: "transient", code: "history_unavailable" };
      }
    },
  };

  return {
    name: "web",
    mode: "webhook",
    sender,
    connect,
    get sockets() {
      let n = 0;
      for (const set of open.values()) n += set.size;
      return n;
    },
    get running() {
      return running;
    },
    get notReady() {
      return channelNotReady(running, true, queue.pending, maxPending);
    },
    async replay(body) {
      // A stored body comes back from the inbox as JSON; every field is checked before use below.
      const update = body as Partial<StoredUpdate> | null;
      const frame = typeof update?.v === "string" && update.f ? parseClientFrame(JSON.stringify(update.f)) : undefined;
      if (!frame || frame.t === "locale" || typeof update?.v !== "string") return false;
      const visitorId = update.v;
      await new Promise<void>((done) => enqueue(visitorId, frame, done));
      return true;
    },
    async forget(key) {
      if (!key.startsWith("web:")) return;
      const visitorId = key.slice(4);
      erased.add(visitorId);
      await history.erase(key);
    },
    async start() {
      running = true;
      const idleMs = options.historyIdleMs ?? 30 * 24 * 3600_000;
      const prune = () =>
        history.pruneIdle(new Date(now().getTime() - idleMs)).catch((error: unknown) => logger.warn({ channel: "web", ...describeError(error) }, "web history prune failed"));
      // FerretDB has no TTL indexes: old histories go by a periodic delete.
      pruneTimer = setInterval(prune, 3600_000);
      pruneTimer.unref();
      logger.info({ channel: "web" }, "channel started");
    },
    async stop() {
      running = false;
      clearInterval(pruneTimer);
      for (const set of open.values()) for (const socket of set) socket.close(1001, "bot stopping");
      const drained = await drainQueue(queue, options.drainTimeoutMs ?? 10_000);
      if (!drained) logger.warn({ channel: "web", pending: queue.pending }, "stopped with updates still in flight");
    },
  };
}

/** The first of our languages in an Accept-Language header or a navigator.language. */
export function firstLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const tag = part.split(";")[0]!.trim().toLowerCase();
    const found = LOCALES.find((l) => tag === l || tag.startsWith(`${l}-`));
    if (found) return found;
  }
  return undefined;
}
