import type { ChannelName, Locale, Sender, SendResult } from "../engine/messages.js";
import type { Recipient } from "./audience.js";
import type { Clock } from "../shared/clock.js";
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
  /** At most this many recipients are between their rate slot and their record (besides those waiting out a retry-after). */
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
  /**
   * Whether this contact may still receive it, asked right before its send: someone who withdrew
   * consent or erased their data after the audience was resolved (on any process) is not sent
   * to, and recorded as failed with code `consent_withdrawn` (see `opt-out-watch.ts`). Default: everyone.
   */
  mayReceive?: (contact: string) => Promise<boolean>;
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
 * Sends one broadcast to `recipients`, each at most once. A recipient is claimed (an insert under
 * the unique `_id`, group-committed with other claims) only once its send is about to start: it
 * first waits for a slot of the channel's send budget, then claims, then sends. So a crash leaves
 * "in doubt" exactly the sends that had started and were not recorded yet, never recipients that
 * were only waiting for a rate slot. The outcome is recorded after the platform answered (batched).
 * At most `concurrency` recipients are between slot and record, plus at most `maxWaiting` waiting
 * out a retry-after. A 429 gives its slot back and makes only that message wait `retryAfterMs`
 * (its chat is deferred); everyone else keeps flowing at the limit meanwhile.
 */
export async function deliverBroadcast(
  broadcastId: string,
  recipients: readonly Recipient[],
  textFor: (locale: Locale) => string,
  deps: DeliveryDeps,
): Promise<DeliveryRunSummary> {
  const existing = deps.resume ? await deps.store.existing(broadcastId) : new Set<string>();
  const queue = recipients.filter((r) => !existing.has(r.key));
  const window = Math.max(1, Math.floor(deps.concurrency));
  const maxWaiting = Math.max(0, Math.floor(deps.maxWaiting ?? window));
  const summary: DeliveryRunSummary = { claimed: 0, sent: 0, failed: 0, unreachable: 0, unknown: 0, skipped: recipients.length - queue.length, stopped: false };
  const stopping = () => deps.signal?.aborted === true;
  const now = () => new Date(deps.clock.now());
  const claims = groupCommit<string, Set<string>>(async (keys) => new Set(await deps.store.claim(broadcastId, keys, now())));
  const marks = groupCommit<DeliveryOutcome, void>((outcomes) => deps.store.mark(broadcastId, outcomes, now()));

  let next = 0;
  let fatal: unknown;
  let workers = 0;
  // Workers waiting out a retry-after: they do not hold a sending place.
  let parked = 0;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));

  const spawn = () => {
    while (fatal === undefined && !stopping() && next < queue.length && workers - parked < window && workers < window + Math.min(parked, maxWaiting)) {
      workers++;
      void work().finally(() => {
        workers--;
        if (workers === 0) finished();
        else spawn();
      });
    }
    if (workers === 0) finished();
  };
  const park = (delta: 1 | -1) => {
    parked += delta;
    if (delta > 0) spawn();
  };
  const claim = async (key: string): Promise<boolean> => (await claims.add(key)).has(key);

  async function work(): Promise<void> {
    while (fatal === undefined && !stopping() && next < queue.length) {
      const r = queue[next++]!;
      try {
        const outcome = await sendOne(r, deps, textFor, park, claim);
        if (outcome === "taken") {
          summary.skipped++;
          continue;
        }
        summary.claimed++;
        await marks.add(outcome);
        summary[outcome.status]++;
      } catch (error) {
        // A claim or record that failed: unknown whether it landed; stop claiming, keep what is in flight.
        fatal ??= error;
      }
    }
  }

  spawn();
  await allDone;
  if (fatal !== undefined) throw fatal;
  summary.stopped = next < queue.length;
  return summary;
}

/** Group commit: items added while a flush is on its way go together in the next one. */
function groupCommit<T, R>(flush: (items: T[]) => Promise<R>): { add(item: T): Promise<R> } {
  let pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let busy = false;
  const pump = async () => {
    if (busy) return;
    busy = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        const result = await flush(batch.map((p) => p.item));
        for (const p of batch) p.resolve(result);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    busy = false;
  };
  return {
    add: (item) =>
      new Promise<R>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        void pump();
      }),
  };
}

/**
 * Sends to one recipient until it is settled; `park(+1)`/`park(-1)` bracket a retry-after wait.
 * The recipient is claimed right before its first send (after its rate slot was granted);
 * "taken" when someone else claimed it first (nothing sent).
 */
async function sendOne(
  r: Recipient,
  deps: DeliveryDeps,
  textFor: (locale: Locale) => string,
  park: (delta: 1 | -1) => void,
  claim: (key: string) => Promise<boolean>,
): Promise<DeliveryOutcome | "taken"> {
  const sender = deps.senders.get(r.channel);
  const limiter = deps.limiters.get(r.channel);
  if (!sender) {
    if (!(await claim(r.key))) return "taken";
    return { contact: r.key, status: "failed", code: "channel_not_running", attempts: 0 };
  }
  if (deps.mayReceive && !(await deps.mayReceive(r.key))) {
    if (!(await claim(r.key))) return "taken";
    return { contact: r.key, status: "failed", code: "consent_withdrawn", attempts: 0 };
  }
  const text = textFor(r.locale);
  const maxAttempts = deps.maxAttempts ?? 4;
  const maxRateLimited = deps.maxRateLimited ?? 20;
  const backoff = deps.backoffMs ?? ((n: number) => Math.min(30_000, 500 * 2 ** (n - 1)));
  let attempts = 0;
  let transient = 0;
  let limited = 0;
  let lastCode = "unknown";
  for (;;) {
    const release = limiter ? await limiter.acquire(r.userId, "bulk") : () => undefined;
    if (attempts === 0) {
      let won: boolean;
      try {
        won = await claim(r.key);
      } catch (error) {
        release("rejected");
        throw error;
      }
      if (!won) {
        // Another run claimed it: this slot was not used.
        release("rejected");
        return "taken";
      }
    }
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
