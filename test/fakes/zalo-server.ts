/**
 * A fake Zalo Bot API server on 127.0.0.1 (node:http) for end-to-end tests: long-poll
 * getUpdates returning ONE update or a 408 envelope, sendMessage recording messages and
 * enforcing the 2000-character limit, webhook methods, and injectable failures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A message the bot sent, as recorded by the fake. */
export interface SentMessage {
  chatId: string;
  text: string;
  /** When the fake accepted it (ms since epoch). */
  at: number;
}

/** A failure to return instead of the next normal answer of a method. */
export interface InjectedFailure {
  status: number;
  body: unknown;
}

/** Options for `startFakeZaloServer`. */
export interface FakeZaloOptions {
  token: string;
  /** How long getUpdates holds a request before answering 408 (default 200 ms; tests stay fast). */
  pollHoldMs?: number;
}

/** A running fake server. */
export interface FakeZaloServer {
  /** Base URL to use as ZALO_API_BASE. */
  readonly apiBase: string;
  /** Every call seen, in order: method name and (for getUpdates) the outcome. */
  readonly calls: { method: string; outcome: string }[];
  readonly sent: SentMessage[];
  /** The webhook currently set (url and secret), if any. */
  readonly webhook: { url: string; secret_token: string } | undefined;
  /** Queues an update for getUpdates. */
  pushUpdate(update: unknown): void;
  /** A text message update from a user (ids are strings, as on Zalo). */
  textUpdate(userId: string, text: string, messageId?: string): unknown;
  /**
   * Every `nth` accepted sendMessage is delivered but its answer lost: the connection is reset
   * after the message was recorded (0 turns it off).
   */
  loseAnswers(nth: number): void;
  /** While on, sendMessage calls are held without an answer (a hung platform); off answers none of them. */
  hangSends(on: boolean): void;
  /** The first sendMessage to each chat `which` picks is answered 429 with `retry_after: retryAfterS`. */
  throttleFirst(which: (chatId: string) => boolean, retryAfterS: number): void;
  /** Makes the next `count` calls of `method` fail with `failure`. */
  failNext(method: string, failure: InjectedFailure, count?: number): void;
  /** Resolves when at least `count` messages were sent (bounded by `timeoutMs`). */
  waitForSent(count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Resolves when `predicate(calls)` holds (bounded). */
  waitForCalls(predicate: (calls: { method: string; outcome: string }[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeZaloServer(options: FakeZaloOptions): Promise<FakeZaloServer> {
  const pollHoldMs = options.pollHoldMs ?? 200;
  const updates: unknown[] = [];
  const sent: SentMessage[] = [];
  const calls: { method: string; outcome: string }[] = [];
  const failures = new Map<string, InjectedFailure[]>();
  const pollers = new Set<() => void>();
  const changeWaiters = new Set<() => void>();
  let webhook: { url: string; secret_token: string } | undefined;
  let seq = 0;
  let loseEvery = 0;
  let accepted = 0;
  let hanging = false;
  let throttle: { which: (chatId: string) => boolean; retryAfterS: number; done: Set<string> } | undefined;

  const changed = (): void => {
    for (const w of [...changeWaiters]) w();
  };
  const record = (method: string, outcome: string): void => {
    calls.push({ method, outcome });
    changed();
  };
  const reply = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const ok = (res: ServerResponse, result: unknown): void => reply(res, 200, { ok: true, result });
  const fail = (res: ServerResponse, code: number, description: string): void =>
    reply(res, 200, { ok: false, error_code: code, description });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (!match || req.method !== "POST") return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method = ""] = match;
    if (token !== options.token) {
      record(method, "401");
      return reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    let body: Record<string, unknown> = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      record(method, "400");
      return fail(res, 400, "Bad Request: invalid JSON");
    }
    const injected = failures.get(method)?.shift();
    if (injected) {
      record(method, `injected ${injected.status}`);
      return reply(res, injected.status, injected.body);
    }
    switch (method) {
      case "getMe":
        record(method, "ok");
        return ok(res, { id: "bot-1", account_name: "nscl_test_bot", account_type: "BASIC", can_join_groups: false });
      case "getUpdates":
        return poll(res);
      case "sendMessage": {
        const text = body.text;
        const chatId = body.chat_id;
        if (typeof chatId !== "string" || typeof text !== "string" || text.length < 1 || text.length > 2000) {
          record(method, "400");
          return fail(res, 400, "Bad Request: text must be 1..2000 characters");
        }
        if (hanging) {
          record(method, "hung");
          return;
        }
        if (throttle && throttle.which(chatId) && !throttle.done.has(chatId)) {
          throttle.done.add(chatId);
          record(method, "429");
          return reply(res, 200, { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: throttle.retryAfterS } });
        }
        sent.push({ chatId, text, at: Date.now() });
        record(method, "ok");
        if (loseEvery > 0 && ++accepted % loseEvery === 0) {
          // Delivered, then the answer is lost on the way back.
          req.socket.destroy();
          return;
        }
        return ok(res, { message_id: `m${++seq}`, date: Date.now() });
      }
      case "sendChatAction":
        record(method, "ok");
        return ok(res, true);
      case "setWebhook": {
        const secret = body.secret_token;
        if (typeof body.url !== "string" || typeof secret !== "string" || secret.length < 8 || secret.length > 256) {
          record(method, "400");
          return fail(res, 400, "Bad Request: url and secret_token (8..256) required");
        }
        webhook = { url: body.url, secret_token: secret };
        record(method, "ok");
        return ok(res, { url: body.url, updated_at: Date.now() });
      }
      case "deleteWebhook":
        webhook = undefined;
        record(method, "ok");
        return ok(res, { url: "", updated_at: Date.now() });
      case "getWebhookInfo":
        record(method, "ok");
        return ok(res, { url: webhook?.url ?? "", updated_at: Date.now() });
      default:
        record(method, "404");
        return fail(res, 404, "Method not found");
    }
  }

  function poll(res: ServerResponse): void {
    if (webhook) {
      record("getUpdates", "409");
      return fail(res, 409, "Conflict: webhook is set");
    }
    const next = updates.shift();
    if (next !== undefined) {
      record("getUpdates", "update");
      return ok(res, next);
    }
    const finish = (): void => {
      clearTimeout(timer);
      pollers.delete(wake);
      const update = updates.shift();
      if (update !== undefined) {
        record("getUpdates", "update");
        ok(res, update);
      } else {
        record("getUpdates", "408");
        fail(res, 408, "Request timeout");
      }
    };
    const wake = (): void => finish();
    const timer = setTimeout(finish, pollHoldMs);
    pollers.add(wake);
    res.on("close", () => {
      clearTimeout(timer);
      pollers.delete(wake);
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => reply(res, 500, { ok: false, error_code: 500, description: "fake crashed" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (check()) return resolve();
      const timer = setTimeout(() => {
        changeWaiters.delete(probe);
        reject(new Error(`fake zalo: timed out waiting for ${what}`));
      }, timeoutMs);
      const probe = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        changeWaiters.delete(probe);
        resolve();
      };
      changeWaiters.add(probe);
    });
  }

  let msgSeq = 0;
  return {
    apiBase: `http://127.0.0.1:${port}`,
    calls,
    sent,
    get webhook() {
      return webhook;
    },
    pushUpdate(update) {
      updates.push(update);
      const first = pollers.values().next();
      if (!first.done) first.value();
    },
    textUpdate(userId, text, messageId) {
      return {
        event_name: "message.text.received",
        message: {
          message_id: messageId ?? `u${++msgSeq}-${Date.now()}`,
          date: Date.now(),
          text,
          chat: { id: userId, chat_type: "PRIVATE" },
          from: { id: userId, display_name: "Test User" },
        },
      };
    },
    loseAnswers(nth) {
      loseEvery = nth;
      accepted = 0;
    },
    throttleFirst(which, retryAfterS) {
      throttle = { which, retryAfterS, done: new Set() };
    },
    hangSends(on) {
      hanging = on;
    },
    failNext(method, failure, count = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < count; i++) list.push(failure);
      failures.set(method, list);
    },
    async waitForSent(count, timeoutMs = 5_000) {
      await waitUntil(() => sent.length >= count, timeoutMs, `${count} sent messages`);
      return sent;
    },
    waitForCalls(predicate, timeoutMs = 5_000) {
      return waitUntil(() => predicate(calls), timeoutMs, "calls");
    },
    async close() {
      for (const w of [...pollers]) w();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
