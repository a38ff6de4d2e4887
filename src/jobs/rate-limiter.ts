import type { Clock } from "./clock.js";

/** Limits for one channel's outgoing messages. */
export interface RateLimits {
  /** At most this many sends in any window of `windowMs` (Telegram: about 30 per second). */
  perWindow: number;
  /** The window; defaults to 1000 ms. */
  windowMs?: number;
  /** Minimum gap between two sends to one chat (Telegram: about 1 per second); 0 for none. */
  perChatIntervalMs?: number;
  /**
   * Added to the window so that a platform counting on its own clock, a little later than we
   * do, never sees one send too many in a window. Default 25 ms.
   */
  marginMs?: number;
  /**
   * Sends are paced evenly (one every `windowMs / perWindow`); after a late timer at most this
   * many go back to back. Default: 20 ms worth of sends, at least 1.
   */
  burst?: number;
}

/**
 * A rate limiter for one channel: even pacing (a token bucket refilled at `perWindow` per
 * window, holding at most `burst`) under a hard sliding window. Waiters are granted in arrival
 * order by one pump, and each grant is recorded when it actually happens, so a late timer can
 * only delay sends: any `perWindow + 1` consecutive grants span at least a whole window, and no
 * window of that length ever holds more than `perWindow`. Pacing keeps the sends of one window
 * from reaching the platform bunched (network jitter then moves single sends, not a burst).
 * A chat's own minimum gap is waited out before joining the queue, so one chat does not hold up
 * the others. Pure apart from the injected clock.
 */
export class RateLimiter {
  private readonly size: number;
  private readonly windowMs: number;
  private readonly perChatMs: number;
  /** The last `size` grant times, as a ring. */
  private readonly ring: number[];
  private head = 0;
  private count = 0;
  private pausedUntil = -Infinity;
  private readonly chatNext = new Map<string, number>();
  private readonly waiters: Array<{ chatId: string; resolve: () => void }> = [];
  private waiting = 0;
  private pumpScheduled = false;
  private readonly burst: number;
  private readonly perMs: number;
  private tokens: number;
  private refilledAt = -Infinity;

  constructor(
    limits: RateLimits,
    private readonly clock: Clock,
  ) {
    if (!(limits.perWindow >= 1)) throw new RangeError("perWindow must be >= 1");
    this.size = Math.floor(limits.perWindow);
    this.windowMs = (limits.windowMs ?? 1000) + (limits.marginMs ?? 25);
    this.perMs = this.size / this.windowMs;
    this.burst = Math.max(1, Math.floor(limits.burst ?? Math.ceil(this.perMs * 20)));
    this.tokens = this.burst;
    this.perChatMs = limits.perChatIntervalMs ?? 0;
    this.ring = new Array<number>(this.size).fill(-Infinity);
  }

  /** The earliest time at or after `now` when the next grant may happen. */
  nextGrantAt(now: number): number {
    let t = Math.max(now, this.pausedUntil);
    this.refill(now);
    if (this.tokens < 1 - 1e-9) t = Math.max(t, now + (1 - this.tokens) / this.perMs);
    // The ring is full: the oldest of the last `size` grants must have left the window.
    if (this.count === this.size) t = Math.max(t, this.ring[this.head]! + this.windowMs);
    return t;
  }

  /** When `chatId` may receive again (its own gap), or -Infinity. */
  chatReadyAt(chatId: string): number {
    return this.chatNext.get(chatId) ?? -Infinity;
  }

  /** Records a grant to `chatId` at `now`. */
  record(chatId: string, now: number): void {
    this.refill(now);
    this.tokens -= 1;
    this.ring[this.head] = now;
    this.head = (this.head + 1) % this.size;
    if (this.count < this.size) this.count++;
    if (this.perChatMs > 0) {
      this.chatNext.set(chatId, now + this.perChatMs);
      if (this.chatNext.size > 10_000) this.prune(now);
    }
  }

  /** Nobody is granted before `until` (the platform said "retry after"). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Waits for permission to send one message to `chatId`. */
  async acquire(chatId: string): Promise<void> {
    for (let now = this.clock.now(); this.chatReadyAt(chatId) > now; now = this.clock.now()) {
      await this.clock.sleep(this.chatReadyAt(chatId) - now);
    }
    await new Promise<void>((resolve) => {
      this.waiters.push({ chatId, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.pumpScheduled) return;
    while (this.waiting < this.waiters.length) {
      const now = this.clock.now();
      const at = this.nextGrantAt(now);
      if (at > now) {
        this.pumpScheduled = true;
        void this.clock.sleep(at - now).then(() => {
          this.pumpScheduled = false;
          this.pump();
        });
        return;
      }
      const waiter = this.waiters[this.waiting++]!;
      const chatReady = this.chatReadyAt(waiter.chatId);
      if (chatReady > now) {
        // Two sends to one chat queued together: the second waits out the chat's gap, then queues again.
        void this.clock.sleep(chatReady - now).then(() => {
          this.waiters.push(waiter);
          this.pump();
        });
        continue;
      }
      this.record(waiter.chatId, now);
      waiter.resolve();
    }
    // Everyone granted: drop the served prefix.
    this.waiters.length = 0;
    this.waiting = 0;
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.perMs);
      this.refilledAt = now;
    }
  }

  private prune(now: number): void {
    for (const [chat, next] of this.chatNext) if (next <= now) this.chatNext.delete(chat);
  }
}
