/** The lean Bot API transport fails the way telegraf fails, so every send is classified as before. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TelegramError } from "telegraf";
import { afterEach, describe, expect, it } from "vitest";
import { carriesFile, createJsonTransport } from "../../../src/channels/telegram/bot-api-transport.js";
import { classifyTelegramError } from "../../../src/channels/telegram/classify-telegram-error.js";

const TOKEN = "123:transport-test-token-0000000000";

interface Seen {
  path: string;
  body: unknown;
}

/** A loopback Bot API answering with `answer`; records requests and counts connections. */
async function platform(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ path: req.url ?? "", body: body ? JSON.parse(body) : undefined });
      answer(req, res, body);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { root: `http://127.0.0.1:${port}`, seen, connections: () => connections };
}

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

/** Whether this machine has an IPv6 loopback (some containers do not). */
const ipv6Loopback = await new Promise<boolean>((resolve) => {
  const probe = createServer();
  probe.once("error", () => resolve(false));
  probe.listen(0, "::1", () => probe.close(() => resolve(true)));
});

const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
};

describe("Bot API JSON transport", () => {
  it("posts the payload without null fields and resolves with `result`, over one kept-alive connection", async () => {
    const api = await platform((_req, res) => json(res, 200, { ok: true, result: { message_id: 7 } }));
    const call = createJsonTransport(`${api.root}/`, TOKEN);
    for (let i = 0; i < 3; i++) {
      await expect(call("sendMessage", { chat_id: 42, text: "xin chào", reply_markup: null, parse_mode: undefined }, 5_000)).resolves.toEqual({ message_id: 7 });
    }
    expect(api.seen[0]).toEqual({ path: `/bot${TOKEN}/sendMessage`, body: { chat_id: 42, text: "xin chào" } });
    expect(api.connections()).toBe(1);
  });

  it("keeps a path under the API root", async () => {
    const api = await platform((_req, res) => json(res, 200, { ok: true, result: true }));
    await createJsonTransport(`${api.root}/tg`, TOKEN)("getMe", {}, 5_000);
    expect(api.seen[0]?.path).toBe(`/tg/bot${TOKEN}/getMe`);
  });

  it.skipIf(!ipv6Loopback)("reaches an IPv6 loopback API root ([::1])", async () => {
    const server = createServer((_req, res) => json(res, 200, { ok: true, result: "v6" }));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "::1", r));
    const { port } = server.address() as AddressInfo;
    await expect(createJsonTransport(`http://[::1]:${port}`, TOKEN)("getMe", {}, 5_000)).resolves.toBe("v6");
  });

  it("an API refusal is telegraf's TelegramError, read as before (429 with retry_after, 403, 400)", async () => {
    const answers = [
      [429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 15", parameters: { retry_after: 15 } }],
      [403, { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }],
      [400, { ok: false, error_code: 400, description: "Bad Request: chat not found" }],
      [400, { ok: false, error_code: 400, description: "Bad Request: message text is empty" }],
    ] as const;
    let next = 0;
    const api = await platform((_req, res) => {
      const [status, body] = answers[next++]!;
      json(res, status, body);
    });
    const call = createJsonTransport(api.root, TOKEN);
    const kinds = [];
    for (let i = 0; i < answers.length; i++) {
      const error = await call("sendMessage", { chat_id: 1, text: "x" }, 5_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TelegramError);
      expect((error as TelegramError).on).toMatchObject({ method: "sendMessage" });
      kinds.push(classifyTelegramError(error));
    }
    expect(kinds).toEqual([
      { ok: false, kind: "rate_limited", retryAfterMs: 15_000 },
      { ok: false, kind: "unreachable", code: "403" },
      { ok: false, kind: "unreachable", code: "400" },
      { ok: false, kind: "transient", code: "400" },
    ]);
  });

  it("a 5xx is a TelegramError with the status, whatever the body: outcome unknown", async () => {
    const api = await platform((_req, res) => {
      res.writeHead(502, "Bad Gateway", { "content-type": "text/html" });
      res.end("<html>proxy</html>");
    });
    const error = await createJsonTransport(api.root, TOKEN)("sendMessage", { chat_id: 1, text: "x" }, 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).response).toEqual({ error_code: 502, description: "Bad Gateway" });
    expect(classifyTelegramError(error)).toEqual({ ok: false, kind: "unknown", code: "502" });
  });

  it("an answer that is not JSON is unknown, and does not leak the token", async () => {
    const api = await platform((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>captive portal</html>");
    });
    const error = await createJsonTransport(api.root, TOKEN)("sendMessage", { chat_id: 1, text: "x" }, 5_000).catch((e: unknown) => e);
    expect(classifyTelegramError(error)).toMatchObject({ kind: "unknown" });
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it("a refused connection is 'not delivered' (safe to retry) and its message has no token", async () => {
    const api = await platform(() => undefined);
    const root = api.root;
    const closing = servers.splice(0);
    for (const s of closing) await new Promise<void>((r) => s.close(() => r()));
    const error = await createJsonTransport(root, TOKEN)("sendMessage", { chat_id: 1, text: "x" }, 5_000).catch((e: unknown) => e);
    expect(classifyTelegramError(error)).toEqual({ ok: false, kind: "transient", code: "ECONNREFUSED" });
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });

  it("a connection reset after the request was read is unknown (it may have been delivered), not retried as safe", async () => {
    const api = await platform((req) => req.socket.destroy());
    const error = await createJsonTransport(api.root, TOKEN)("sendMessage", { chat_id: 1, text: "x" }, 5_000).catch((e: unknown) => e);
    expect(api.seen).toHaveLength(1);
    expect(classifyTelegramError(error)).toEqual({ ok: false, kind: "unknown", code: "ECONNRESET" });
  });

  it("a call with no answer ends at its deadline as unknown ('timeout'); so does one whose answer stops half way", async () => {
    const api = await platform((req, res) => {
      if (req.url?.endsWith("/half")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"ok":tr');
      }
    });
    const call = createJsonTransport(api.root, TOKEN);
    for (const method of ["sendMessage", "half"]) {
      const started = Date.now();
      const error = await call(method, { chat_id: 1, text: "x" }, 300).catch((e: unknown) => e);
      expect(classifyTelegramError(error)).toEqual({ ok: false, kind: "unknown", code: "timeout" });
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  }, 30_000);

  it("the caller's signal ends a call at once (a long poll when polling stops)", async () => {
    const api = await platform(() => undefined);
    const controller = new AbortController();
    const pending = createJsonTransport(api.root, TOKEN)("getUpdates", { timeout: 30 }, 60_000, controller.signal).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
    await expect(createJsonTransport(api.root, TOKEN)("getUpdates", {}, 60_000, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("carriesFile (telegraf's multipart rule)", () => {
  it("is true for uploads by source or url, alone, as media, or in an album; false for ids and plain JSON", () => {
    expect(carriesFile({ chat_id: 1, photo: { source: Buffer.from("png") } })).toBe(true);
    expect(carriesFile({ chat_id: 1, document: { url: "https://example.vn/a.pdf" } })).toBe(true);
    expect(carriesFile({ chat_id: 1, media: { type: "photo", media: { source: "/tmp/x.png" } } })).toBe(true);
    expect(carriesFile({ chat_id: 1, media: [{ type: "photo", media: { source: Buffer.from("a") } }] })).toBe(true);
    expect(carriesFile({ chat_id: 1, photo: "AgACAgUAAxkBAAI" })).toBe(false);
    expect(carriesFile({ chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "a", url: "" }]] } })).toBe(false);
    expect(carriesFile({ chat_id: 1, text: "x", link_preview_options: { url: "https://example.vn" } })).toBe(false);
  });
});
