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
   * Added to the window so that a platform counting on its own clock never sees one send too
   * many in a window. Default 5 ms when holding slots until done, else 25 ms.
   */
  marginMs?: number;
  /**
   * A send occupies its window slot until its `release()` (the platform answered), not just from
   * its grant: a request delayed on its way (busy event loop, network) then cannot reach the
   * platform together with later ones. Default true. A slot never released counts as ending
   * `maxHoldMs` after its grant.
   */
  holdUntilReleased?: boolean;
  maxHoldMs?: number;
  /**
   * Sends are paced evenly (one every `windowMs / perWindow`); after a late timer at most this
   * many go back to back. Default: 20 ms worth of sends, at least 2.
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
 * With `holdUntilReleased` (default), a slot's time is when its send finished, which bounds when
 * the platform saw it: no window at the platform holds more than `perWindow`, whatever the
 * delays between grant and arrival. A chat's own minimum gap is waited out before joining the
 * queue, so one chat does not hold up the others. Pure apart from the injected clock.
 */
export class RateLimiter {
  private readonly size: number;
  private readonly windowMs: number;
  private readonly perChatMs: number;
  /** When each of the last `size` sends ended (NaN: still in flight), as a ring. */
  private readonly ring: number[];
  /** When each of them was granted. */
  private readonly granted: number[];
  private readonly hold: boolean;
  private readonly maxHoldMs: number;
  private timerSeq = 0;
  private head = 0;
  private count = 0;
  private pausedUntil = -Infinity;
  private readonly chatNext = new Map<string, number>();
  private readonly waiters: Array<{ chatId: string; resolve: (slot: number) => void }> = [];
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
    this.hold = limits.holdUntilReleased ?? true;
    this.maxHoldMs = limits.maxHoldMs ?? 10_000;
    this.windowMs = (limits.windowMs ?? 1000) + (limits.marginMs ?? (this.hold ? 5 : 25));
    this.perMs = this.size / this.windowMs;
    // At least 2, so a late timer's lost time is caught up and the average rate holds.
    this.burst = Math.max(1, Math.floor(limits.burst ?? Math.max(2, Math.ceil(this.perMs * 20))));
    this.tokens = this.burst;
    this.perChatMs = limits.perChatIntervalMs ?? 0;
    this.ring = new Array<number>(this.size).fill(-Infinity);
    this.granted = new Array<number>(this.size).fill(-Infinity);
  }

  /** The earliest time at or after `now` when the next grant may happen. */
  nextGrantAt(now: number): number {
    let t = Math.max(now, this.pausedUntil);
    this.refill(now);
    if (this.tokens < 1 - 1e-9) t = Math.max(t, now + (1 - this.tokens) / this.perMs);
    // The ring is full: the oldest of the last `size` grants must have left the window.
    if (this.count === this.size) t = Math.max(t, this.endOf(this.head) + this.windowMs);
    return t;
  }

  /** When `chatId` may receive again (its own gap), or -Infinity. */
  chatReadyAt(chatId: string): number {
    return this.chatNext.get(chatId) ?? -Infinity;
  }

  /** Records a grant to `chatId` at `now`; returns its slot (for `release`). */
  record(chatId: string, now: number): number {
    this.refill(now);
    this.tokens -= 1;
    const slot = this.head;
    this.ring[slot] = this.hold ? Number.NaN : now;
    this.granted[slot] = now;
    this.head = (this.head + 1) % this.size;
    if (this.count < this.size) this.count++;
    if (this.perChatMs > 0) {
      this.chatNext.set(chatId, now + this.perChatMs);
      if (this.chatNext.size > 10_000) this.prune(now);
    }
    return slot;
  }

  /** The send in `slot` finished at `at`: its window slot ends then. */
  release(slot: number, at: number): void {
    if (!Number.isNaN(this.ring[slot])) return;
    this.ring[slot] = at;
    // Someone may be waiting for exactly this slot: look again now rather than at the fallback.
    this.timerSeq++;
    this.pumpScheduled = false;
    this.pump();
  }

  /** When the send in `slot` ended, or when it is presumed to if it never reports back. */
  private endOf(slot: number): number {
    const end = this.ring[slot]!;
    return Number.isNaN(end) ? this.granted[slot]! + this.maxHoldMs : end;
  }

  /** `chatId` gets nothing before `until` (the platform said "retry after" for that message). */
  deferChat(chatId: string, until: number): void {
    this.chatNext.set(chatId, Math.max(this.chatNext.get(chatId) ?? -Infinity, until));
  }

  /** Nobody is granted before `until` (e.g. a global flood wait). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /**
   * Waits for permission to send one message to `chatId`; call the returned function once the
   * platform answered (or the send failed), so the slot's window is counted from then.
   */
  async acquire(chatId: string): Promise<() => void> {
    for (let now = this.clock.now(); this.chatReadyAt(chatId) > now; now = this.clock.now()) {
      await this.clock.sleep(this.chatReadyAt(chatId) - now);
    }
    const slot = await new Promise<number>((resolve) => {
      this.waiters.push({ chatId, resolve });
      this.pump();
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(slot, this.clock.now());
    };
  }

  private pump(): void {
    if (this.pumpScheduled) return;
    while (this.waiting < this.waiters.length) {
      const now = this.clock.now();
      const at = this.nextGrantAt(now);
      if (at > now) {
        this.pumpScheduled = true;
        const seq = ++this.timerSeq;
        void this.clock.sleep(at - now).then(() => {
          if (seq !== this.timerSeq) return;
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
      waiter.resolve(this.record(waiter.chatId, now));
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
