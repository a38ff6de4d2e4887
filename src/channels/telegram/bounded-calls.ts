/**
 * Bounds every Bot API call of one telegraf `Telegram` instance: telegraf's own request timeout
 * is 500 s, so one hung platform call could stall a user for minutes. A call past the bound is
 * aborted (its outcome is then unknown and it is not retried). A long poll gets its poll time on top.
 * JSON calls go over the lean transport; a call that uploads a file stays with telegraf.
 */
import type { Telegram } from "telegraf";
import { isRecord } from "../../shared/guards.js";
import { carriesFile, createJsonTransport } from "./bot-api-transport.js";

/** `callApi` as the wrapper sees it: any method, any payload, an optional signal. */
type LooseCallApi = (method: string, payload: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;

/** Where the instance sends its calls. */
export interface BotApiTarget {
  readonly apiRoot: string;
  readonly token: string;
}

/** Replaces `telegram.callApi` so each call aborts after `timeoutMs` (getUpdates: its `timeout` seconds more). */
export function boundCalls(telegram: Telegram, timeoutMs: number, target: BotApiTarget): void {
  const proto: { callApi: LooseCallApi } = Object.getPrototypeOf(telegram);
  const sendJson = createJsonTransport(target.apiRoot, target.token);
  const bounded: LooseCallApi = async (method, payload = {}, options = {}) => {
    const poll = method === "getUpdates" && isRecord(payload) ? Number(payload.timeout ?? 0) * 1000 : 0;
    const bound = timeoutMs + poll;
    if (isRecord(payload) && !carriesFile(payload)) return sendJson(method, payload, bound, options.signal);
    return withDeadline(bound, options.signal, (signal) => proto.callApi.call(telegram, method, payload, { ...options, signal }));
  };
  // telegraf's generic signature (and its abort-controller signal type) is not one a wrapper can implement.
  telegram.callApi = bounded as Telegram["callApi"];
}

/** Runs `call` with a signal that aborts after `ms` or with `outer`, whichever comes first. */
async function withDeadline<T>(ms: number, outer: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("The operation timed out", "TimeoutError")), ms);
  try {
    return await call(outer ? AbortSignal.any([outer, controller.signal]) : controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
