/**
 * Bounds every Bot API call of one telegraf `Telegram` instance: telegraf's own request timeout
 * is 500 s, so one hung platform call could stall a user for minutes. A call past the bound is
 * aborted (its outcome is then unknown and it is not retried). A long poll gets its poll time on top.
 */
import type { Telegram } from "telegraf";
import { isRecord } from "../../shared/guards.js";

/** `callApi` as the wrapper sees it: any method, any payload, an optional signal. */
type LooseCallApi = (method: string, payload: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;

/** Wraps `telegram.callApi` so each call aborts after `timeoutMs` (getUpdates: its `timeout` seconds more). */
export function boundCalls(telegram: Telegram, timeoutMs: number): void {
  // Looked up at call time, so instrumentation of the prototype (the benchmark's tap) still sees every call.
  const proto: { callApi: LooseCallApi } = Object.getPrototypeOf(telegram);
  const bounded: LooseCallApi = async (method, payload, options = {}) => {
    const poll = method === "getUpdates" && isRecord(payload) ? Number(payload.timeout ?? 0) * 1000 : 0;
    // A controller and a timer cleared on settling: `AbortSignal.timeout` costs ~10 µs a call on
    // Node 20 and keeps its timer until it fires; every reply pays this.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException("The operation timed out", "TimeoutError")), timeoutMs + poll);
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    try {
      return await proto.callApi.call(telegram, method, payload, { ...options, signal });
    } finally {
      clearTimeout(timer);
    }
  };
  // telegraf's generic signature (and its abort-controller signal type) is not one a wrapper can implement.
  telegram.callApi = bounded as Telegram["callApi"];
}
