/**
 * A fake Telegram Bot API server for benchmarks and reliability tests, run in its own process:
 *   tsx bench/fake-bot-api.ts [--port 0] [--max-lifetime-s 900]
 * It prints one JSON line `{"port":N}` on stdout when listening. Every `sendMessage` is
 * recorded (chat id, text, time); `GET /__stats` reports counts, the largest number of send
 * attempts in any 1-second window and duplicates; `POST /__config` sets a send rate limit
 * (answers 429 beyond it, like Telegram) and a random 429 ratio; `POST /__reset` clears.
 * It exits by itself after its maximum lifetime so a crashed harness never leaves it behind.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { maxInWindow } from "./window.js";

/** Runtime settings, changed with `POST /__config`. */
export interface FakeApiConfig {
  /** Accepted sends per sliding second across all chats; 0 = unlimited. */
  limitPerSecond: number;
  /** Share of sends answered with 429 `retry_after: 1` at random (0..1). */
  random429Ratio: number;
  /** Answer `sendMessage` to these chat ids with 403 "bot was blocked by the user". */
  blockedChats: string[];
}

/** One recorded send. */
interface Send {
  /** The message_id answered for this send. */
  id: number;
  chat: string;
  text: string;
  markup: string;
  at: number;
}

/** What `GET /__stats` returns. */
export interface FakeApiStats {
  /** Every sendMessage call, accepted or not. */
  attempts: number;
  /** Answered ok. */
  accepted: number;
  /** Answered 429 (by the limit or at random). */
  rejected429: number;
  /** Largest number of send attempts in any 1-second window. */
  maxAttemptsPerSecond: number;
  /** Largest number of accepted sends in any 1-second window. */
  maxAcceptedPerSecond: number;
  /** Accepted sends whose (chat, text) had already been accepted before. */
  duplicates: number;
  /** Accepted sends identical (chat, text, keyboard) to the previous accepted send in the same chat. */
  consecutiveDuplicates: number;
  /** Distinct chats that received at least one accepted send. */
  chats: number;
  /** First and last accepted send (ms since epoch). */
  firstAt: number | null;
  lastAt: number | null;
  /** Calls per API method. */
  methods: Record<string, number>;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const port = Number(args.get("--port") ?? 0);
const maxLifetimeMs = Number(args.get("--max-lifetime-s") ?? 900) * 1000;

let config: FakeApiConfig = { limitPerSecond: 0, random429Ratio: 0, blockedChats: [] };
let blocked = new Set<string>();
let sends: Send[] = [];
// The same sends by chat, so a test asking for one chat's messages costs O(that chat).
let sendsByChat = new Map<string, Send[]>();
let attemptTimes: number[] = [];
let rejected429 = 0;
let methods: Record<string, number> = {};
// Recent accepted send times, for enforcing the sliding-window limit cheaply.
let recentAccepted: number[] = [];
let recentHead = 0;
let messageId = 1;

function reset(): void {
  sends = [];
  sendsByChat = new Map();
  attemptTimes = [];
  rejected429 = 0;
  methods = {};
  recentAccepted = [];
  recentHead = 0;
}

function stats(): FakeApiStats {
  const seen = new Set<string>();
  const lastByChat = new Map<string, string>();
  let duplicates = 0;
  let consecutiveDuplicates = 0;
  for (const s of sends) {
    const key = `${s.chat}\u0000${s.text}`;
    if (seen.has(key)) duplicates += 1;
    else seen.add(key);
    const full = `${s.text}\u0000${s.markup}`;
    if (lastByChat.get(s.chat) === full) consecutiveDuplicates += 1;
    lastByChat.set(s.chat, full);
  }
  return {
    attempts: attemptTimes.length,
    accepted: sends.length,
    rejected429,
    maxAttemptsPerSecond: maxInWindow(attemptTimes, 1000),
    maxAcceptedPerSecond: maxInWindow(sends.map((s) => s.at), 1000),
    duplicates,
    consecutiveDuplicates,
    chats: lastByChat.size,
    firstAt: sends[0]?.at ?? null,
    lastAt: sends[sends.length - 1]?.at ?? null,
    methods,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Bounded: nothing the bot sends legitimately is near this.
      if (size > 5_000_000) req.destroy(new Error("body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

function parsePayload(req: IncomingMessage, body: string, url: URL): Record<string, unknown> {
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json") && body !== "") {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body));
  // Multipart (sendDocument): only the fields we report on, read loosely.
  const out: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const chat = /name="chat_id"\r\n\r\n([^\r]*)/.exec(body);
  if (chat) out.chat_id = chat[1];
  return out;
}

const botInfo = { id: 1_000_001, is_bot: true, first_name: "Bench Bot", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };

/** Decides whether one send goes through, applying the configured limit and random 429s. */
function admit(now: number): { ok: true } | { ok: false; retryAfter: number } {
  attemptTimes.push(now);
  if (config.random429Ratio > 0 && Math.random() < config.random429Ratio) return { ok: false, retryAfter: 1 };
  if (config.limitPerSecond > 0) {
    while (recentHead < recentAccepted.length && (recentAccepted[recentHead] ?? 0) <= now - 1000) recentHead += 1;
    if (recentHead > 10_000) {
      recentAccepted = recentAccepted.slice(recentHead);
      recentHead = 0;
    }
    if (recentAccepted.length - recentHead >= config.limitPerSecond) return { ok: false, retryAfter: 1 };
    recentAccepted.push(now);
  }
  return { ok: true };
}

async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
  methods[method] = (methods[method] ?? 0) + 1;
  const body = await readBody(req);
  const payload = parsePayload(req, body, url);
  const chat = String(payload.chat_id ?? "");
  switch (method) {
    case "getMe":
      return json(res, 200, { ok: true, result: botInfo });
    case "getUpdates":
      // Empty, after a short pause so a polling bot does not spin.
      await new Promise((r) => setTimeout(r, Math.min(Number(payload.timeout ?? 0) * 1000, 200)));
      return json(res, 200, { ok: true, result: [] });
    case "getWebhookInfo":
      return json(res, 200, { ok: true, result: { url: "", has_custom_certificate: false, pending_update_count: 0 } });
    case "sendMessage":
    case "sendDocument": {
      const now = Date.now();
      if (blocked.has(chat)) return json(res, 403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" });
      const admitted = admit(now);
      if (!admitted.ok) {
        rejected429 += 1;
        return json(res, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${admitted.retryAfter}`, parameters: { retry_after: admitted.retryAfter } });
      }
      const text = String(payload.text ?? payload.caption ?? "");
      const markup = payload.reply_markup === undefined ? "" : typeof payload.reply_markup === "string" ? payload.reply_markup : JSON.stringify(payload.reply_markup);
      const id = messageId++;
      const record = { id, chat, text, markup, at: now };
      sends.push(record);
      const list = sendsByChat.get(chat);
      if (list) list.push(record);
      else sendsByChat.set(chat, [record]);
      return json(res, 200, { ok: true, result: { message_id: id, date: Math.floor(now / 1000), chat: { id: Number(chat) || chat, type: "private" }, text } });
    }
    case "editMessageReplyMarkup":
    case "editMessageText":
      return json(res, 200, { ok: true, result: { message_id: Number(payload.message_id ?? 0), date: Math.floor(Date.now() / 1000), chat: { id: Number(chat) || chat, type: "private" } } });
    default:
      // answerCallbackQuery, setMyCommands, deleteWebhook, setWebhook, sendChatAction, deleteMessage…
      return json(res, 200, { ok: true, result: true });
  }
}

async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (url.pathname === "/__stats") return json(res, 200, stats());
  if (url.pathname === "/__sends") {
    const chat = url.searchParams.get("chat");
    return json(res, 200, chat === null ? sends : (sendsByChat.get(chat) ?? []));
  }
  if (url.pathname === "/__reset" && req.method === "POST") {
    await readBody(req);
    reset();
    return json(res, 200, { ok: true });
  }
  if (url.pathname === "/__config" && req.method === "POST") {
    const patch = JSON.parse((await readBody(req)) || "{}") as Partial<FakeApiConfig>;
    config = { ...config, ...patch };
    blocked = new Set(config.blockedChats.map(String));
    return json(res, 200, config);
  }
  if (url.pathname === "/__stop" && req.method === "POST") {
    json(res, 200, { ok: true });
    setImmediate(() => process.exit(0));
    return;
  }
  return json(res, 404, { ok: false, error_code: 404, description: "Not Found" });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const api = /^\/bot[^/]+\/([A-Za-z]+)$/.exec(url.pathname);
  const work = api ? handleApi(req, res, url, api[1] ?? "") : handleControl(req, res, url);
  work.catch((error: unknown) => {
    if (!res.headersSent) json(res, 500, { ok: false, error_code: 500, description: error instanceof Error ? error.message : String(error) });
  });
});
server.keepAliveTimeout = 30_000;
server.maxRequestsPerSocket = 0;
// A deep accept queue: thousands of simulated users open connections at once.
server.listen({ port, host: "127.0.0.1", backlog: 4096 }, () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address ? address.port : port })}\n`);
});

const lifetime = setTimeout(() => process.exit(0), maxLifetimeMs);
lifetime.unref();
// When the parent goes away (its stdin pipe closes), go too.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => process.exit(0));
