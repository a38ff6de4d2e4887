/**
 * A small typed client for the Zalo Bot Platform API: one function per method used. The HTTP
 * transport is injectable; errors are always `ZaloApiError`, which never contains the URL.
 */
import axios, { type AxiosInstance } from "axios";
import { z } from "zod";
import { ZaloApiError } from "./zalo-api-error.js";
import { isRecord } from "../../shared/guards.js";
import {
  zaloEnvelopeSchema,
  zaloMeSchema,
  zaloSentSchema,
  zaloUpdateSchema,
  zaloWebhookInfoSchema,
  type ZaloUpdate,
} from "./zalo-types.js";

/** One HTTP POST with a JSON body; resolves with any status, rejects only on network failure. */
export type ZaloTransport = (request: {
  url: string;
  body: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
}) => Promise<{ status: number; data: unknown }>;

/** The default transport, on axios. Network errors are rethrown as `{ code }` only (no URL). */
export function axiosTransport(instance: AxiosInstance = axios.create()): ZaloTransport {
  return async ({ url, body, timeoutMs, signal }) => {
    try {
      // axios's `timeout` is per socket inactivity; the signal bounds the whole call.
      const bound = AbortSignal.timeout(timeoutMs);
      const res = await instance.post(url, body, { timeout: timeoutMs, signal: signal ? AbortSignal.any([signal, bound]) : bound, validateStatus: () => true });
      return { status: res.status, data: res.data };
    } catch (error) {
      // axios errors carry the request URL (and so the token): keep only the code.
      const code = axios.isCancel(error) ? "ABORTED" : isRecord(error) && typeof error.code === "string" ? error.code : "NETWORK";
      throw new TransportError(code);
    }
  };
}

/** A network-level failure from a transport (no response). */
export class TransportError extends Error {
  override readonly name = "TransportError";
  constructor(readonly code: string) {
    super(`transport failed: ${code}`);
  }
}

/** Options for `createZaloClient`. */
export interface ZaloClientOptions {
  token: string;
  /** Defaults to the public API host; tests point it at a local fake. */
  apiBase?: string;
  transport?: ZaloTransport;
  /** Per-request timeout for ordinary calls. */
  timeoutMs?: number;
}

/** The Zalo Bot API methods this project uses. */
export interface ZaloClient {
  getMe(): Promise<z.infer<typeof zaloMeSchema>>;
  /** Long poll: one update, or `undefined` when the poll timed out quietly (408). */
  getUpdates(options: { timeoutSeconds: number; signal?: AbortSignal }): Promise<ZaloUpdate | undefined>;
  sendMessage(chatId: string, text: string): Promise<z.infer<typeof zaloSentSchema>>;
  sendChatAction(chatId: string, action: "typing"): Promise<void>;
  setWebhook(url: string, secretToken: string): Promise<z.infer<typeof zaloWebhookInfoSchema>>;
  deleteWebhook(): Promise<void>;
  getWebhookInfo(): Promise<z.infer<typeof zaloWebhookInfoSchema>>;
}

const zaloAnySchema = z.unknown();

/** The public API base. */
export const ZALO_DEFAULT_API_BASE = "https://bot-api.zaloplatforms.com";

/** Creates a client bound to one bot token. */
export function createZaloClient(options: ZaloClientOptions): ZaloClient {
  const base = (options.apiBase ?? ZALO_DEFAULT_API_BASE).replace(/\/+$/, "");
  const transport = options.transport ?? axiosTransport();
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call<S extends z.ZodType>(
    method: string,
    body: unknown,
    schema: S,
    extra: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<z.infer<S>> {
    let res: { status: number; data: unknown };
    try {
      res = await transport({
        url: `${base}/bot${options.token}/${method}`,
        body,
        timeoutMs: extra.timeoutMs ?? timeoutMs,
        signal: extra.signal,
      });
    } catch (error) {
      const code = error instanceof TransportError ? error.code : "NETWORK";
      throw new ZaloApiError(method, 0, `network error (${code})`, undefined, code);
    }
    const envelope = zaloEnvelopeSchema.safeParse(res.data);
    if (!envelope.success) throw new ZaloApiError(method, res.status, `unexpected response (HTTP ${res.status})`, undefined, undefined, true);
    const env = envelope.data;
    if (!env.ok) {
      const retry = env.parameters?.retry_after;
      throw new ZaloApiError(
        method,
        env.error_code ?? res.status,
        redact(env.description ?? `HTTP ${res.status}`, options.token),
        retry === undefined ? undefined : retry * 1000,
      );
    }
    const result = schema.safeParse(env.result);
    if (!result.success) throw new ZaloApiError(method, res.status, "unexpected result shape", undefined, undefined, true);
    return result.data;
  }

  return {
    getMe: () => call("getMe", {}, zaloMeSchema),
    async getUpdates({ timeoutSeconds, signal }) {
      try {
        // The HTTP timeout must outlast the long poll itself.
        return await call("getUpdates", { timeout: String(timeoutSeconds) }, zaloUpdateSchema, {
          timeoutMs: (timeoutSeconds + 10) * 1000,
          signal,
        });
      } catch (error) {
        if (error instanceof ZaloApiError && error.isPollTimeout) return undefined;
        throw error;
      }
    },
    sendMessage: (chatId, text) => call("sendMessage", { chat_id: chatId, text }, zaloSentSchema),
    async sendChatAction(chatId, action) {
      await call("sendChatAction", { chat_id: chatId, action }, zaloAnySchema);
    },
    setWebhook: (url, secretToken) =>
      call("setWebhook", { url, secret_token: secretToken }, zaloWebhookInfoSchema),
    async deleteWebhook() {
      await call("deleteWebhook", {}, zaloAnySchema);
    },
    getWebhookInfo: () => call("getWebhookInfo", {}, zaloWebhookInfoSchema),
  };
}

/** Removes the token from a text the API echoed back (defensive: descriptions are logged). */
function redact(text: string, token: string): string {
  return token ? text.split(token).join("<token>") : text;
}
