/**
 * A lean transport for the Bot API's JSON calls: one POST over a keep-alive `node:http(s)` agent,
 * one timer per call. Every reply pays for its transport: telegraf's (node-fetch, a Request
 * object, an AbortController and its listeners per call) cost ~40% more main-thread CPU per call
 * in the benchmark's profile. Calls that upload a file stay with telegraf (multipart).
 *
 * It fails the way telegraf fails, so callers and `classifyTelegramError` see one shape: an API
 * answer that is not `ok`, and any status ≥ 500, as telegraf's `TelegramError`; a network error
 * with Node's own `code` (ECONNREFUSED: never sent); the deadline or the caller's signal as an
 * error named "AbortError" (outcome unknown).
 */
import http from "node:http";
import https from "node:https";
import { TelegramError } from "telegraf";
import { isRecord } from "../../shared/guards.js";

/** Sends one JSON call; resolves with the API's `result`. */
export type JsonCall = (method: string, payload: object, timeoutMs: number, signal?: AbortSignal) => Promise<unknown>;

/** The JSON transport for one bot token at one API root (`https://api.telegram.org` by default). */
export function createJsonTransport(apiRoot: string, token: string): JsonCall {
  const root = new URL(apiRoot);
  const secure = root.protocol === "https:";
  const request = secure ? https.request : http.request;
  // One pool per bot, as telegraf keeps: sockets stay open between calls.
  const agent = secure ? new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000 }) : new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000 });
  const prefix = `${root.pathname.replace(/\/+$/, "")}/bot${token}/`;
  // URL keeps an IPv6 host in brackets; node:http wants it bare.
  const hostname = root.hostname.replace(/^\[(.*)\]$/, "$1");

  return (method, payload, timeoutMs, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError("aborted before it was sent"));
      const body = JSON.stringify(payload, dropNulls);
      const req = request({
        protocol: root.protocol,
        hostname,
        port: root.port || undefined,
        path: prefix + method,
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      const stop = (reason: string) => req.destroy(abortError(reason));
      const onAbort = () => stop("aborted by the caller");
      const timer = setTimeout(stop, timeoutMs, "timed out");
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      req.once("error", (error) => {
        settle();
        // Node's errors name the host, never the path, so the token stays out of messages and logs.
        reject(error);
      });
      req.once("response", (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.once("error", (error) => {
          settle();
          reject(error);
        });
        res.once("end", () => {
          settle();
          if (status >= 500) return reject(new TelegramError({ error_code: status, description: res.statusMessage ?? "" }, { method, payload }));
          let data: unknown;
          try {
            data = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            // Not the Bot API answering (a proxy's page): what happened to the call is unknown.
            return reject(Object.assign(new Error(`Bot API ${method}: the answer (HTTP ${status}) is not JSON`), { name: "BotApiBadAnswer" }));
          }
          const answer = data as { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown };
          if (answer.ok === true) return resolve(answer.result);
          reject(new TelegramError(answer as ConstructorParameters<typeof TelegramError>[0], { method, payload }));
        });
      });
      req.end(body);
    });
}

/** True when telegraf would send this payload as multipart: a value carries a file to upload. */
export function carriesFile(payload: object): boolean {
  for (const [key, value] of Object.entries(payload)) {
    if (key === "link_preview_options") continue;
    if (Array.isArray(value) ? value.some((item) => isUpload(isRecord(item) ? item.media : undefined)) : isUpload(value) || (isRecord(value) && isUpload(value.media))) {
      return true;
    }
  }
  return false;
}

/** A `{ source }` or `{ url }` input file (telegraf's InputFile shapes that need multipart). */
function isUpload(value: unknown): boolean {
  return isRecord(value) && Boolean(value.source || value.url);
}

/** telegraf's rule: `null` and `undefined` fields are left out. */
function dropNulls(_key: string, value: unknown): unknown {
  return value ?? undefined;
}

function abortError(reason: string): Error {
  return Object.assign(new Error(`Bot API call ${reason}`), { name: "AbortError" });
}
