import type { SendPriority } from "../channels/shared/send-gate.js";
import type { Clock } from "../shared/clock.js";

/** Limits for one channel's outgoing messages. */
export interface RateLimits {
  /** At most this many sends in any window of `windowMs` (e.g. about 30 per second on some platforms). */
  perWindow: number;
  /** The window; defaults to 1000 ms. */
  windowMs?: number;
  /** Minimum gap between two sends to one chat (e.g. about 1 per second); 0 for none. */
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
   * A send the platform refused with "retry after" (HTTP 429) gives its slot back: the platform
   * did not deliver it, so it does not count towards the window (the platforms and the
   * benchmark's fake count delivered messages). Default true; false counts every attempt.
   */
  refundRejected?: boolean;
  /**
   * At most this share of `perWindow` refunds in any window; beyond it a refused send counts.
   * Default 0.1. A platform that does count refused calls would be kept over its limit by
   * refunds and refuse nearly everything: when more than half of a window's answers (and at
   * least a fifth of `perWindow`) are refusals, refunds stop for good and every attempt counts.
   */
  maxRefundShare?: number;
  /**
   * Sends are paced evenly (one every `windowMs / perWindow`); after a late timer at most this
   * many go back to back. Default: 20 ms worth of sends, at least 2.
   */
  burst?: number;
}

/** What became of a granted send, told to the limiter when the platform answered. */
export type SendOutcome = "sent" | "rejected";

/** Call once the platform answered: "rejected" (a 429) gives the slot back, anything else keeps it. */
export type ReleaseSlot = (outcome?: SendOutcome) => void;

/** One granted send that has finished, in the order they finished. */
interface Ended {
  slot: number;
  end: number;
  /** False once refunded: it no longer counts. */
  live: boolean;
}

/** One queued request for a slot. */
interface Waiter {
  chatId: string;
  resolve: (slot: number) => void;
}

/**
 * A rate limiter for one channel: even pacing (a token bucket refilled at `perWindow` per
 * window, holding at most `burst`) under a hard sliding window. Waiters are granted in arrival
 * order by one pump, and each grant is recorded when it actually happens, so a late timer can only delay sends.
 * The window rule: a grant happens only while fewer than `perWindow` counted sends are in flight
 * or ended less than a window ago. With `holdUntilReleased` (default), a send ends when its
 * platform answer came, which bounds when the platform saw it: if `perWindow + 1` counted sends
 * reached the platform within one window, the last of them was granted while the other
 * `perWindow` were in flight or had ended within that window, which the rule forbids. A send the
 * platform refused (429) is refunded: it stops counting and its pacing token comes back, so
 * rejected attempts do not cost delivered throughput. A chat's own minimum gap is waited out
 * before joining the queue, so one chat does not hold up the others. Pure apart from the clock.
 */
export class RateLimiter {
  private size: number;
  private readonly windowMs: number;
  private readonly perChatMs: number;
  private readonly hold: boolean;
  private refunds: boolean;
  /** The current window of answers, to notice a platform that counts refused calls. */
  private answersFrom = -Infinity;
  private answers = 0;
  private refusals = 0;
  private refundBudget: number;
  /** When recent refunds happened (a queue from `refundHead`). */
  private refundTimes: number[] = [];
  private refundHead = 0;
  private readonly maxHoldMs: number;
  private timerSeq = 0;
  private nextSlot = 0;
  /** Granted sends not answered yet (hold mode): slot → grant time, oldest first. */
  private readonly inFlight = new Map<number, number>();
  /** Finished sends still possibly inside the window, by end time (a queue from `endedHead`). */
  private ended: Ended[] = [];
  private endedHead = 0;
  private liveEnded = 0;
  private lastEnd = -Infinity;
  private readonly endedBySlot = new Map<number, Ended>();
  private pausedUntil = -Infinity;
  private readonly chatNext = new Map<string, number>();
  /** Chats the platform told to wait (429 retry_after): binding for replies too. */
  private readonly chatDeferred = new Map<string, number>();
  /** Bulk sends waiting for a slot (served from `waiting`). */
  private readonly waiters: Waiter[] = [];
  private waiting = 0;
  /** Replies waiting for a slot: always served before bulk sends. */
  private readonly replies: Waiter[] = [];
  private repliesServed = 0;
  private pumpScheduled = false;
  private burst: number;
  private perMs: number;
  private readonly limits: RateLimits;
  private tokens: number;
  private refilledAt = -Infinity;

  constructor(
    limits: RateLimits,
    private readonly clock: Clock,
  ) {
    if (!(limits.perWindow >= 1)) throw new RangeError("perWindow must be >= 1");
    this.limits = limits;
    this.hold = limits.holdUntilReleased ?? true;
    this.refunds = limits.refundRejected ?? true;
    this.maxHoldMs = limits.maxHoldMs ?? 10_000;
    this.windowMs = (limits.windowMs ?? 1000) + (limits.marginMs ?? (this.hold ? 5 : 25));
    this.size = this.perMs = this.burst = this.refundBudget = 0;
    this.setSize(limits.perWindow);
    this.tokens = this.burst;
    this.perChatMs = limits.perChatIntervalMs ?? 0;
  }

  /**
   * Changes the sends allowed per window (this process's share of the bot's budget when several
   * processes send as one bot). Sends already granted keep counting.
   */
  resize(perWindow: number): void {
    const size = Math.max(1, Math.floor(perWindow));
    if (size === this.size) return;
    this.setSize(size);
    this.tokens = Math.min(this.tokens, this.burst);
    this.wake();
  }

  /** The sends allowed per window now. */
  get perWindow(): number {
    return this.size;
  }

  private setSize(perWindow: number): void {
    this.size = Math.max(1, Math.floor(perWindow));
    this.refundBudget = Math.max(1, Math.ceil(this.size * (this.limits.maxRefundShare ?? 0.1)));
    this.perMs = this.size / this.windowMs;
    // At least 2, so a late timer's lost time is caught up and the average rate holds.
    this.burst = Math.max(1, Math.floor(this.limits.burst ?? Math.max(2, Math.ceil(this.perMs * 20))));
  }

  /** The earliest time at or after `now` when the next grant may happen. */
  nextGrantAt(now: number): number {
    let t = Math.max(now, this.pausedUntil);
    this.refill(now);
    if (this.tokens < 1 - 1e-9) t = Math.max(t, now + (1 - this.tokens) / this.perMs);
    this.expire(now);
    if (this.inFlight.size + this.liveEnded >= this.size) {
      // Full: wait until the oldest counted send leaves the window (a send still in flight
      // is presumed to end `maxHoldMs` after its grant; its answer wakes the pump sooner).
      let free = Infinity;
      const first = this.ended[this.endedHead];
      if (first) free = first.end + this.windowMs;
      for (const granted of this.inFlight.values()) {
        free = Math.min(free, Math.max(granted + this.maxHoldMs, this.lastEnd) + this.windowMs);
        break;
      }
      t = Math.max(t, free);
    }
    return t;
  }

  /** When `chatId` may receive again (its own gap), or -Infinity. */
  chatReadyAt(chatId: string, priority: SendPriority = "bulk"): number {
    const deferred = this.chatDeferred.get(chatId) ?? -Infinity;
    // A reply answers someone who just wrote: only a platform's retry_after holds it, not the bulk gap.
    if (priority === "reply") return deferred;
    return Math.max(deferred, this.chatNext.get(chatId) ?? -Infinity);
  }

  /** Records a grant to `chatId` at `now`; returns its slot (for `release` or `refund`). */
  record(chatId: string, now: number): number {
    this.refill(now);
    this.tokens -= 1;
    const slot = this.nextSlot++;
    if (this.hold) this.inFlight.set(slot, now);
    else this.pushEnded(slot, now);
    if (this.perChatMs > 0) {
      this.chatNext.set(chatId, now + this.perChatMs);
      if (this.chatNext.size > 10_000 || this.chatDeferred.size > 10_000) this.prune(now);
    }
    return slot;
  }

  /** The send in `slot` finished at `at`: its window slot ends then. */
  release(slot: number, at: number): void {
    const granted = this.inFlight.get(slot);
    if (granted === undefined) return;
    this.inFlight.delete(slot);
    this.pushEnded(slot, at);
    this.wake();
  }

  /**
   * The platform refused the send in `slot` (429): it no longer counts, and its token returns.
   * False (and released as a send) when this window's refunds are used up.
   */
  refund(slot: number): boolean {
    const now = this.clock.now();
    while (this.refundHead < this.refundTimes.length && this.refundTimes[this.refundHead]! + this.windowMs <= now) this.refundHead++;
    if (this.refundHead > 1024) {
      this.refundTimes = this.refundTimes.slice(this.refundHead);
      this.refundHead = 0;
    }
    if (this.refundTimes.length - this.refundHead >= this.refundBudget) {
      this.release(slot, now);
      return false;
    }
    if (this.inFlight.delete(slot)) {
      // Nothing to unlink: it never reached the ended queue.
    } else {
      const entry = this.endedBySlot.get(slot);
      if (!entry?.live) return false;
      entry.live = false;
      this.liveEnded--;
    }
    this.refundTimes.push(now);
    this.tokens = Math.min(this.burst, this.tokens + 1);
    this.wake();
    return true;
  }

  /** `chatId` gets nothing before `until` (the platform said "retry after" for that message). */
  deferChat(chatId: string, until: number): void {
    this.chatDeferred.set(chatId, Math.max(this.chatDeferred.get(chatId) ?? -Infinity, until));
  }

  /** Whether a refused send still gives its slot back (false once the platform proved to count them). */
  get refunding(): boolean {
    return this.refunds;
  }

  /** Nobody is granted before `until` (e.g. a global flood wait). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Resolves once `chatId` may receive again (its gap and any retry-after have passed). */
  async chatReady(chatId: string, priority: SendPriority = "bulk"): Promise<void> {
    for (let now = this.clock.now(); this.chatReadyAt(chatId, priority) > now; now = this.clock.now()) {
      await this.clock.sleep(this.chatReadyAt(chatId, priority) - now);
    }
  }

  /**
   * Waits for permission to send one message to `chatId`; call the returned function once the
   * platform answered (or the send failed), so the slot's window is counted from then, with
   * "rejected" when the platform refused it with a 429 (the slot is given back). A retry queues
   * like anyone else: served first, retries would be the ones meeting a platform that is still
   * full after a refund, again and again.
   */
  async acquire(chatId: string, priority: SendPriority = "bulk"): Promise<ReleaseSlot> {
    await this.chatReady(chatId, priority);
    const slot = await new Promise<number>((resolve) => {
      (priority === "reply" ? this.replies : this.waiters).push({ chatId, resolve });
      this.pump();
    });
    let released = false;
    return (outcome = "sent") => {
      if (released) return;
      released = true;
      this.observe(outcome);
      if (outcome === "rejected" && this.refunds) this.refund(slot);
      else this.release(slot, this.clock.now());
    };
  }

  /** A slot came free: someone may be waiting for exactly it, so look now rather than at the timer. */
  private wake(): void {
    this.timerSeq++;
    this.pumpScheduled = false;
    this.pump();
  }

  private pump(): void {
    if (this.pumpScheduled) return;
    while (this.repliesServed < this.replies.length || this.waiting < this.waiters.length) {
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
      // Replies first: bulk sends only get what replies leave.
      const queue = this.repliesServed < this.replies.length ? this.replies : this.waiters;
      const waiter = queue === this.replies ? this.replies[this.repliesServed++]! : this.waiters[this.waiting++]!;
      const chatReady = this.chatReadyAt(waiter.chatId, queue === this.replies ? "reply" : "bulk");
      if (chatReady > now) {
        // Two sends to one chat queued together: the second waits out the chat's gap, then queues again.
        void this.clock.sleep(chatReady - now).then(() => {
          queue.push(waiter);
          this.pump();
        });
        continue;
      }
      waiter.resolve(this.record(waiter.chatId, now));
    }
    // Everyone granted: drop the served prefixes.
    this.waiters.length = 0;
    this.waiting = 0;
    this.replies.length = 0;
    this.repliesServed = 0;
  }

  /** Counts answers per window; a window mostly refused ends refunds (see `maxRefundShare`). */
  private observe(outcome: SendOutcome): void {
    const now = this.clock.now();
    if (now >= this.answersFrom + this.windowMs) {
      if (this.refusals >= Math.max(3, Math.ceil(this.size / 5)) && this.refusals * 2 > this.answers) this.refunds = false;
      this.answersFrom = now;
      this.answers = 0;
      this.refusals = 0;
    }
    this.answers++;
    if (outcome === "rejected") this.refusals++;
  }

  private pushEnded(slot: number, at: number): void {
    // End times stay in order (the queue is pruned from its head); a late report only counts longer.
    this.lastEnd = Math.max(this.lastEnd, at);
    const entry: Ended = { slot, end: this.lastEnd, live: true };
    this.ended.push(entry);
    this.endedBySlot.set(slot, entry);
    this.liveEnded++;
  }

  /** Drops sends that left the window; a send in flight past `maxHoldMs` counts as ended then. */
  private expire(now: number): void {
    for (const [slot, granted] of this.inFlight) {
      if (granted + this.maxHoldMs > now) break;
      this.inFlight.delete(slot);
      this.pushEnded(slot, granted + this.maxHoldMs);
    }
    while (this.endedHead < this.ended.length) {
      const e = this.ended[this.endedHead]!;
      if (e.live && e.end + this.windowMs > now) break;
      if (e.live) this.liveEnded--;
      this.endedBySlot.delete(e.slot);
      this.endedHead++;
    }
    if (this.endedHead > 4096 && this.endedHead * 2 > this.ended.length) {
      this.ended = this.ended.slice(this.endedHead);
      this.endedHead = 0;
    }
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.perMs);
      this.refilledAt = now;
    }
  }

  private prune(now: number): void {
    for (const [chat, next] of this.chatNext) if (next <= now) this.chatNext.delete(chat);
    for (const [chat, until] of this.chatDeferred) if (until <= now) this.chatDeferred.delete(chat);
  }
}
