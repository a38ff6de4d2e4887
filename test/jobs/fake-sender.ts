import type { ChannelName, Outgoing, Sender, SendResult } from "../../src/engine/messages.js";

/** Options for a fake platform. */
export interface FakeSenderOptions {
  channel?: ChannelName;
  /** The platform's own limit: more than this in a trailing window is answered with 429. */
  perWindow?: number;
  /**
   * Whether refused calls count towards `perWindow`. Default false: the platform counts the
   * messages it accepted (as the benchmark's fake Bot API does).
   */
  countRefused?: boolean;
  windowMs?: number;
  /** Users who blocked the bot. */
  blocked?: ReadonlySet<string>;
  /** Users whose first attempt gets a 429 with this retry-after (ms). */
  throttleOnce?: ReadonlySet<string>;
  retryAfterMs?: number;
  /** Users whose first attempt fails with a network error. */
  flakyOnce?: ReadonlySet<string>;
  now?: () => number;
  /** Simulated network latency (ms). */
  latencyMs?: number;
  /** Called synchronously for every accepted message (e.g. to append to a file). */
  onDelivered?: (userId: string) => void;
}

/** A fake platform that records every call with its time and answers like Telegram would. */
export class FakeSender implements Sender {
  readonly channel: ChannelName;
  /** Every call: time, user, what was answered. */
  readonly calls: Array<{ at: number; userId: string; result: SendResult["ok"] | string }> = [];
  /** Accepted messages per user. */
  readonly delivered = new Map<string, string[]>();
  private readonly seen = new Set<string>();
  /** Calls that exceeded the platform limit. */
  overLimit = 0;

  constructor(private readonly o: FakeSenderOptions = {}) {
    this.channel = o.channel ?? "telegram";
  }

  async send(userId: string, message: Outgoing): Promise<SendResult> {
    const now = (this.o.now ?? Date.now)();
    const first = !this.seen.has(userId);
    this.seen.add(userId);
    const result = this.answer(userId, now, first);
    this.calls.push({ at: now, userId, result: result.ok ? true : result.kind });
    if (result.ok) {
      this.o.onDelivered?.(userId);
      this.delivered.set(userId, [...(this.delivered.get(userId) ?? []), message.text]);
    }
    if (this.o.latencyMs) await new Promise((r) => setTimeout(r, this.o.latencyMs));
    return result;
  }

  private answer(userId: string, now: number, first: boolean): SendResult {
    if (this.o.perWindow !== undefined) {
      const windowMs = this.o.windowMs ?? 1000;
      let inWindow = 0;
      for (let i = this.calls.length - 1; i >= 0 && now - this.calls[i]!.at < windowMs; i--) {
        if (this.o.countRefused || this.calls[i]!.result === true) inWindow++;
      }
      if (inWindow >= this.o.perWindow) {
        this.overLimit++;
        return { ok: false, kind: "rate_limited", retryAfterMs: 1000 };
      }
    }
    if (this.o.blocked?.has(userId)) return { ok: false, kind: "unreachable", code: "403_blocked" };
    if (first && this.o.throttleOnce?.has(userId)) return { ok: false, kind: "rate_limited", retryAfterMs: this.o.retryAfterMs ?? 500 };
    if (first && this.o.flakyOnce?.has(userId)) return { ok: false, kind: "transient", code: "ECONNRESET" };
    return { ok: true };
  }
}
