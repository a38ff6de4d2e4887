/**
 * Bounds every Bot API call of one telegraf `Telegram` instance: telegraf's own request timeout
 * is 500 s, so one hung platform call could stall a user for minutes. A call past the bound is
 * aborted (its outcome is then unknown and it is not retried). A long poll gets its poll time on top.
 */
import type { Telegram } from "telegraf";

type CallApi = Telegram["callApi"];

/** Wraps `telegram.callApi` so each call aborts after `timeoutMs` (getUpdates: its `timeout` seconds more). */
export function boundCalls(telegram: Telegram, timeoutMs: number): void {
  // Looked up at call time, so instrumentation of the prototype (the benchmark's tap) still sees every call.
  const proto = Object.getPrototypeOf(telegram) as { callApi: (m: string, p: unknown, o: object) => Promise<unknown> };
  const original = (method: string, payload: unknown, options: object) => proto.callApi.call(telegram, method, payload, options);
  const bounded = ((method: string, payload: unknown, options: { signal?: unknown } = {}) => {
    const poll = method === "getUpdates" ? Number((payload as { timeout?: unknown })?.timeout ?? 0) * 1000 : 0;
    const timeout = AbortSignal.timeout(timeoutMs + poll);
    const given = options.signal as AbortSignal | undefined;
    const signal = given ? AbortSignal.any([given, timeout]) : timeout;
    return original(method, payload, { ...options, signal });
  }) as unknown as CallApi;
  telegram.callApi = bounded;
}
