import type { ChannelName, Locale, Sender, SendResult } from "../engine/messages.js";
import type { Recipient } from "./audience.js";
import type { Clock } from "./clock.js";
import type { RateLimiter } from "./rate-limiter.js";

/** A send's final outcome, written on its delivery record. */
export interface DeliveryOutcome {
  contact: string;
  /** `unknown`: the platform may have delivered it (answer lost); never retried, reported in doubt. */
  status: "sent" | "failed" | "unreachable" | "unknown";
  code?: string;
  attempts: number;
}

/** Where claims and outcomes are stored (the deliveries repository). */
export interface DeliveryStore {
  /** Inserts claims under a unique index; returns the contacts this call claimed. */
  claim(broadcastId: string, contacts: readonly string[], at: Date): Promise<string[]>;
  /** Records outcomes (and marks unreachable contacts). */
  mark(broadcastId: string, outcomes: readonly DeliveryOutcome[], at: Date): Promise<void>;
  /** Contacts that already have a claim for this broadcast (read only when resuming). */
  existing(broadcastId: string): Promise<Set<string>>;
}

/** What a delivery run needs. */
export interface DeliveryDeps {
  store: DeliveryStore;
  senders: ReadonlyMap<ChannelName, Sender>;
  limiters: ReadonlyMap<ChannelName, RateLimiter>;
  clock: Clock;
  /** At most this many recipients are claimed but not yet recorded (besides those waiting out a retry-after). */
  concurrency: number;
  /**
   * Recipients waiting out a platform's retry-after (429), on top of `concurrency`: while they
   * wait, others are claimed and sent in their place, so throttled chats do not slow the rest.
   * A crash leaves at most `concurrency + maxWaiting` in doubt. Default: `concurrency`.
   */
  maxWaiting?: number;
  /** Tries per recipient for transient errors (network, 5xx). */
  maxAttempts?: number;
  /** Retry-after answers tolerated per recipient before giving up as failed. */
  maxRateLimited?: number;
  /** Wait before retry number `attempt` after a transient error. */
  backoffMs?: (attempt: number) => number;
  /** An earlier run may have claimed some recipients: skip them up front (else the claims do). */
  resume?: boolean;
  /** Graceful stop: no new claims; sends in flight finish and are recorded. */
  signal?: AbortSignal;
}

/** What one run did. */
export interface DeliveryRunSummary {
  claimed: number;
  sent: number;
  failed: number;
  unreachable: number;
  /** Sends whose outcome is unknown (maybe delivered): in doubt, not retried. */
  unknown: number;
  /** Recipients skipped because a record existed already (earlier run or another process). */
  skipped: number;
  /** Stopped by the signal before every recipient was claimed. */
  stopped: boolean;
}

/**
 * Sends one broadcast to `recipients`, each at most once: a recipient is claimed (batched
 * unordered insert under the unique `_id`) before its send, and its outcome is recorded after
 * the platform answered (batched). Claims and records are group-committed: whatever is ready
 * goes in the next round trip, and at most `concurrency` recipients are ever between claim and
 * record, plus at most `maxWaiting` waiting out a retry-after — so a crash leaves at most that
 * many "in doubt". Rate limits come from the injected per-channel limiters; a 429 gives its
 * limiter slot back and makes only that message wait `retryAfterMs` (its chat is deferred);
 * then it queues for a slot again. Everyone else keeps flowing at the limit meanwhile.
 */
export async function deliverBroadcast(
  broadcastId: string,
  recipients: readonly Recipient[],
  textFor: (locale: Locale) => string,
  deps: DeliveryDeps,
): Promise<DeliveryRunSummary> {
  const existing = deps.resume ? await deps.store.existing(broadcastId) : new Set<string>();
  const queue = recipients.filter((r) => !existing.has(r.key));
  const byKey = new Map(queue.map((r) => [r.key, r]));
  const window = Math.max(1, Math.floor(deps.concurrency));
  const maxWaiting = Math.max(0, Math.floor(deps.maxWaiting ?? window));
  const summary: DeliveryRunSummary = { claimed: 0, sent: 0, failed: 0, unreachable: 0, unknown: 0, skipped: recipients.length - queue.length, stopped: false };

  let next = 0;
  let inWindow = 0;
  // Of `inWindow`, those waiting out a retry-after: they do not hold a sending place.
  let waiting = 0;
  const park = (delta: 1 | -1) => {
    waiting += delta;
    if (delta > 0) signal();
  };
  let claiming = false;
  let flushing = false;
  let fatal: unknown;
  const done: DeliveryOutcome[] = [];
  let sending = 0;
  let wake: () => void = () => undefined;
  const signal = () => wake();
  const stopping = () => deps.signal?.aborted === true;
  deps.signal?.addEventListener("abort", signal, { once: true });

  const claimBatch = async (batch: Recipient[]) => {
    claiming = true;
    try {
      const claimed = await deps.store.claim(broadcastId, batch.map((r) => r.key), new Date(deps.clock.now()));
      summary.claimed += claimed.length;
      summary.skipped += batch.length - claimed.length;
      inWindow -= batch.length - claimed.length;
      for (const key of claimed) {
        sending++;
        void sendOne(byKey.get(key)!, deps, textFor, park).then((outcome) => {
          sending--;
          done.push(outcome);
          signal();
        });
      }
    } catch (error) {
      // Unknown whether the insert landed: these stay claimed-or-absent, never sent.
      fatal ??= error;
      inWindow -= batch.length;
    } finally {
      claiming = false;
      signal();
    }
  };

  const flush = async () => {
    flushing = true;
    const batch = done.splice(0, done.length);
    try {
      await deps.store.mark(broadcastId, batch, new Date(deps.clock.now()));
      for (const o of batch) summary[o.status]++;
    } catch (error) {
      fatal ??= error;
    } finally {
      inWindow -= batch.length;
      flushing = false;
      signal();
    }
  };

  for (;;) {
    // Places: `window` for sending, plus one per recipient waiting out a retry-after (up to maxWaiting).
    const room = window + Math.min(waiting, maxWaiting) - inWindow;
    if (fatal === undefined && !stopping() && !claiming && next < queue.length && room > 0) {
      const batch = queue.slice(next, next + room);
      next += batch.length;
      inWindow += batch.length;
      void claimBatch(batch);
    }
    if (!flushing && done.length > 0) void flush();
    if (!claiming && !flushing && sending === 0 && done.length === 0 && (next >= queue.length || fatal !== undefined || stopping())) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  deps.signal?.removeEventListener("abort", signal);
  if (fatal !== undefined) throw fatal;
  summary.stopped = next < queue.length;
  return summary;
}

/** Sends to one recipient until it is settled; `park(+1)`/`park(-1)` bracket a retry-after wait. */
async function sendOne(r: Recipient, deps: DeliveryDeps, textFor: (locale: Locale) => string, park: (delta: 1 | -1) => void): Promise<DeliveryOutcome> {
  const sender = deps.senders.get(r.channel);
  const limiter = deps.limiters.get(r.channel);
  if (!sender) return { contact: r.key, status: "failed", code: "channel_not_running", attempts: 0 };
  const text = textFor(r.locale);
  const maxAttempts = deps.maxAttempts ?? 4;
  const maxRateLimited = deps.maxRateLimited ?? 20;
  const backoff = deps.backoffMs ?? ((n: number) => Math.min(30_000, 500 * 2 ** (n - 1)));
  let attempts = 0;
  let transient = 0;
  let limited = 0;
  let lastCode = "unknown";
  for (;;) {
    const release = limiter ? await limiter.acquire(r.userId) : () => undefined;
    attempts++;
    let result: SendResult;
    try {
      result = await sender.send(r.userId, { text });
    } catch {
      // A sender that throws is a bug, and it may have sent before throwing: in doubt.
      result = { ok: false, kind: "unknown", code: "sender_threw" };
    }
    // A 429 was not delivered: its slot goes back to the others. Any other failure may have
    // reached the platform (and counted against its limit), so it keeps its slot.
    release(!result.ok && result.kind === "rate_limited" ? "rejected" : "sent");
    if (result.ok) return { contact: r.key, status: "sent", attempts };
    if (result.kind === "unreachable") return { contact: r.key, status: "unreachable", code: result.code, attempts };
    // It may have arrived: a retry could deliver it twice. Recorded in doubt; staff may resend.
    if (result.kind === "unknown") return { contact: r.key, status: "unknown", code: result.code, attempts };
    if (result.kind === "rate_limited") {
      lastCode = "rate_limited";
      if (++limited > maxRateLimited) break;
      // Retry this message after the wait, on a fresh slot; other chats keep going (a global
      // pause per 429 would stall a whole broadcast on a few throttled chats).
      park(1);
      try {
        if (limiter) {
          limiter.deferChat(r.userId, deps.clock.now() + result.retryAfterMs);
          await limiter.chatReady(r.userId);
        } else await deps.clock.sleep(result.retryAfterMs);
      } finally {
        park(-1);
      }
      continue;
    }
    lastCode = result.code;
    if (++transient >= maxAttempts) break;
    await deps.clock.sleep(backoff(transient));
  }
  return { contact: r.key, status: "failed", code: lastCode, attempts };
}
