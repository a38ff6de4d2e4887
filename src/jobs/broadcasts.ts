import { randomBytes } from "node:crypto";
import type { BroadcastCounts, BroadcastRecord, BroadcastsRepo } from "../db/broadcasts-repo.js";
import type { DeliveriesRepo, DeliveryCounts } from "../db/deliveries-repo.js";
import type { ChannelName, I18nKey, Locale, Msg, Notifier, Sender } from "../engine/messages.js";
import type { Logger } from "../shared/logger.js";
import { audienceSchema, broadcastTextFor, broadcastTextSchema, type Audience, type AudienceSources, type BroadcastText, type Recipient } from "./audience.js";
import { deliverBroadcast } from "./broadcast-delivery.js";
import { createOptOutWatch } from "./opt-out-watch.js";
import type { Clock } from "../shared/clock.js";
import { parseUserKey } from "../shared/user-key.js";
import { errorFields } from "../shared/error-fields.js";
import type { JobQueue } from "./job-queue.js";
import type { RateLimiter } from "./rate-limiter.js";

/** The agenda job that delivers one broadcast. */
export const DELIVER_JOB = "broadcast:deliver";
/** The periodic job that resumes broadcasts whose process died. */
export const RESUME_JOB = "broadcast:resume";
/** Stops this much before a run resolves its audience are read too: clocks of two machines differ a little. */
const CLOCK_SKEW_MS = 60_000;

/** What the broadcast service needs. */
export interface BroadcastServiceDeps {
  broadcasts: BroadcastsRepo;
  deliveries: DeliveriesRepo;
  sources: AudienceSources;
  senders: ReadonlyMap<ChannelName, Sender>;
  limiters: ReadonlyMap<ChannelName, RateLimiter>;
  /** Sends the finished report to the staff member who created the broadcast. */
  notifier: Notifier;
  queue: JobQueue;
  clock: Clock;
  logger?: Logger;
  /**
   * Claimed-but-unrecorded recipients sending at any moment, default 128; as many more may be
   * waiting out a retry-after (429). Twice this bounds "in doubt" after a crash.
   */
  concurrency?: number;
  /** A `sending` broadcast whose heartbeat is older than this is resumed (ms). Default 3 heartbeats (6 s). */
  staleAfterMs?: number;
  /** How often a sending process writes its heartbeat (ms). Default 2 s. */
  heartbeatMs?: number;
  /** The closing line every announcement gets in the reader's language: how to stop receiving them. */
  footer?: (locale: Locale) => string;
  /** Test hooks: backoff for transient errors. */
  backoffMs?: (attempt: number) => number;
}

/** A broadcast request as staff compose it. */
export interface BroadcastDraft {
  text: BroadcastText;
  audience: Audience;
  /** When to send; now when omitted or in the past. */
  sendAt?: Date;
  /** `channel:userId` of the staff member, or `cli`. */
  createdBy: string;
}

/** The outcome of creating a broadcast. */
export type CreateResult = { ok: true; broadcast: BroadcastRecord } | { ok: false; reason: I18nKey };

/** Creates, schedules, delivers, resumes, lists and cancels broadcasts. */
export function createBroadcastService(deps: BroadcastServiceDeps) {
  const running = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  const stopAll = new AbortController();
  const heartbeatMs = deps.heartbeatMs ?? 2_000;
  const staleAfterMs = deps.staleAfterMs ?? 3 * heartbeatMs;
  const now = () => new Date(deps.clock.now());
  // What a reader gets: one definition for the send and for the staff's preview.
  const textFor = (text: BroadcastText, locale: Locale) => withFooter(broadcastTextFor(text, locale), deps.footer?.(locale));

  async function recipientsOf(audience: Audience): Promise<Recipient[]> {
    switch (audience.kind) {
      case "all":
        return deps.broadcasts.recipients({});
      case "language":
        return deps.broadcasts.recipients({ locale: audience.locale });
      case "enterprises":
        return deps.broadcasts.recipients({ keys: await deps.sources.enterpriseContacts(audience.sector) });
      case "course":
        return deps.broadcasts.recipients({ keys: await deps.sources.courseContacts(audience.courseId) });
      case "contacts":
        return deps.broadcasts.recipients({ keys: audience.contacts });
    }
  }

  async function finish(b: BroadcastRecord): Promise<BroadcastCounts> {
    const states = await deps.deliveries.detailed(b._id);
    const unreachable: Array<{ contact: string; code: string }> = [];
    const c = { sent: 0, failed: 0, unreachable: 0, in_doubt: 0, resent: 0 };
    for (const [contact, { state, code }] of states) {
      c[state]++;
      if (state === "unreachable") unreachable.push({ contact, code: code ?? "unreachable" });
    }
    const finishedAt = now();
    const started = b.startedAt ? new Date(b.startedAt).getTime() : finishedAt.getTime();
    const counts: BroadcastCounts = {
      delivered: c.sent,
      failed: c.failed,
      unreachable: c.unreachable,
      inDoubt: c.in_doubt,
      resent: c.resent,
      durationMs: finishedAt.getTime() - started,
    };
    await deps.broadcasts.setStatus(b._id, "done", { finishedAt, counts });
    if (b.createdBy !== "cli" && (await deps.broadcasts.claimOnce(`report/${b._id}`, finishedAt))) {
      const user = parseUserKey(b.createdBy);
      if (user) await deps.notifier.notify(user, reportMsgs(b._id, counts)).catch(() => undefined);
    }
    // After the report, off the sending path (an update scans the collection on FerretDB):
    // later broadcasts skip these contacts until they write again.
    await deps.deliveries.markContactsUnreachable(unreachable, now());
    return counts;
  }

  /** Delivers one broadcast (idempotent: a second or resumed run only sends to unclaimed recipients). */
  async function run(id: string, touch: () => Promise<void> = async () => undefined): Promise<BroadcastCounts | undefined> {
    if (running.has(id)) return undefined;
    running.add(id);
    try {
      let b = await deps.broadcasts.get(id);
      if (!b || b.status === "cancelled" || b.status === "done") return undefined;
      const resume = b.status === "sending";
      if (b.status === "scheduled") {
        const startedAt = now();
        await deps.broadcasts.setStatus(id, "sending", { startedAt, heartbeatAt: startedAt });
        b = { ...b, status: "sending", startedAt };
      }
      // Stops from here on are honoured during the run; the audience below leaves out earlier ones.
      const stops = createOptOutWatch((since) => deps.broadcasts.optedOutSince(since), deps.clock, new Date(now().getTime() - CLOCK_SKEW_MS));
      const recipients = await recipientsOf(b.audience);
      await deps.broadcasts.setStatus(id, "sending", { recipients: recipients.length, heartbeatAt: now() });
      const text = b.text;
      const beat = setInterval(() => {
        void deps.broadcasts.heartbeat(id, now()).catch(() => undefined);
        void touch().catch(() => undefined);
      }, heartbeatMs);
      let stopped = false;
      try {
        const summary = await deliverBroadcast(id, recipients, (locale) => textFor(text, locale), {
          signal: stopAll.signal,
          store: deps.deliveries,
          senders: deps.senders,
          limiters: deps.limiters,
          clock: deps.clock,
          concurrency: deps.concurrency ?? 128,
          resume,
          mayReceive: (key) => stops.mayReceive(key),
          ...(deps.backoffMs ? { backoffMs: deps.backoffMs } : {}),
        });
        deps.logger?.info({ broadcast: id, ...summary }, "broadcast run finished");
        stopped = summary.stopped;
      } finally {
        clearInterval(beat);
      }
      if (stopped) {
        // Shutting down mid-way: an old heartbeat lets the next process resume it at once.
        await deps.broadcasts.heartbeat(id, new Date(0));
        return undefined;
      }
      return await finish(b);
    } finally {
      running.delete(id);
    }
  }

  return {
    /** Delivers one broadcast now (idempotent). */
    run(id: string, touch?: () => Promise<void>): Promise<BroadcastCounts | undefined> {
      const p = run(id, touch);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p)).catch(() => undefined);
      return p;
    },
    /**
     * Graceful stop: running deliveries claim nobody new, finish the sends in flight, record
     * them and leave the broadcast to be resumed by the next process. Waits at most `timeoutMs`.
     */
    async shutdown(timeoutMs = 15_000): Promise<void> {
      stopAll.abort();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    },
    /** Validates and stores a broadcast, then schedules its delivery. */
    async create(draft: BroadcastDraft, resendOf?: string): Promise<CreateResult> {
      const text = broadcastTextSchema.safeParse(draft.text);
      if (!text.success) return { ok: false, reason: "staff:broadcast.errors.text" };
      const audience = audienceSchema.safeParse(draft.audience);
      if (!audience.success) return { ok: false, reason: "staff:broadcast.errors.audience" };
      const createdAt = now();
      const sendAt = draft.sendAt && draft.sendAt > createdAt ? draft.sendAt : createdAt;
      const broadcast = await deps.broadcasts.create({
        id: newBroadcastId(),
        text: text.data,
        audience: audience.data,
        sendAt,
        createdBy: draft.createdBy,
        createdAt,
        ...(resendOf ? { resendOf } : {}),
      });
      await deps.queue.schedule(DELIVER_JOB, sendAt, { broadcastId: broadcast._id });
      return { ok: true, broadcast };
    },
    /** How many contacts the audience reaches now (the preview before confirming). */
    async count(audience: Audience): Promise<number> {
      return (await recipientsOf(audience)).length;
    },
    /** Cancels a broadcast that has not started; false when it already started or does not exist. */
    async cancel(id: string): Promise<boolean> {
      const b = await deps.broadcasts.get(id);
      if (!b || b.status !== "scheduled") return false;
      await deps.queue.cancel(DELIVER_JOB, { broadcastId: id });
      await deps.broadcasts.setStatus(id, "cancelled", { finishedAt: now() });
      return true;
    },
    /** Broadcasts waiting for their time. */
    scheduled: () => deps.broadcasts.withStatus("scheduled"),
    /** Recent broadcasts, newest first. */
    recent: (limit = 10) => deps.broadcasts.recent(limit),
    get: (id: string) => deps.broadcasts.get(id),
    /**
     * Exactly the text a reader in `locale` gets (their language, else Vietnamese, with the
     * closing line): what staff preview before sending. The channel then splits it at its limit.
     */
    preview(text: BroadcastText, locale: Locale): string {
      return textFor(text, locale);
    },
    /** A broadcast and how its recipients stand so far (while sending: claimed but unanswered count as in doubt). */
    async progress(id: string): Promise<{ broadcast: BroadcastRecord; counts: DeliveryCounts } | null> {
      const broadcast = await deps.broadcasts.get(id);
      return broadcast ? { broadcast, counts: await deps.deliveries.counts(id) } : null;
    },
    /**
     * Sends again to a finished broadcast's in-doubt (and failed) recipients, as a new broadcast:
     * staff decide, because an in-doubt recipient may have received it already.
     */
    async resend(id: string, createdBy: string, includeFailed = true): Promise<CreateResult> {
      const b = await deps.broadcasts.get(id);
      if (!b || b.status !== "done") return { ok: false, reason: "staff:broadcast.errors.not_finished" };
      const contacts = await deps.deliveries.contactsIn(id, includeFailed ? ["in_doubt", "failed"] : ["in_doubt"]);
      if (contacts.length === 0) return { ok: false, reason: "staff:broadcast.errors.nothing_to_resend" };
      const created = await this.create({ text: b.text, audience: { kind: "contacts", contacts }, createdBy }, id);
      if (created.ok) {
        await deps.deliveries.markResent(id, contacts, created.broadcast._id, now());
        const c = await deps.deliveries.counts(id);
        await deps.broadcasts.setStatus(id, "done", { counts: { ...(b.counts ?? {}), inDoubt: c.inDoubt, failed: c.failed, resent: c.resent } });
      }
      return created;
    },
    /**
     * Resumes, in this process, `sending` broadcasts whose process stopped beating (crash, kill).
     * One process takes each over: the take-over is a claim on (broadcast, last heartbeat).
     */
    async resumeStale(): Promise<string[]> {
      const cutoff = deps.clock.now() - staleAfterMs;
      const stale = (await deps.broadcasts.withStatus("sending")).filter((b) => !running.has(b._id) && (!b.heartbeatAt || new Date(b.heartbeatAt).getTime() < cutoff));
      const taken: string[] = [];
      for (const b of stale) {
        const beat = b.heartbeatAt ? new Date(b.heartbeatAt).getTime() : 0;
        if (!(await deps.broadcasts.claimOnce(`resume/${b._id}/${beat}`, now()))) continue;
        taken.push(b._id);
        void this.run(b._id).catch((error: unknown) => deps.logger?.error({ broadcast: b._id, ...errorFields(error) }, "resumed broadcast failed"));
      }
      return taken;
    },
    /**
     * Looks for stale broadcasts now and then every heartbeat (a plain timer: agenda's polling
     * would add its own delay), so a broadcast whose process died resumes within seconds.
     * Returns the function that stops looking.
     */
    startResumeSweep(everyMs = heartbeatMs): () => void {
      const sweep = () => void this.resumeStale().catch((error: unknown) => deps.logger?.warn(errorFields(error), "resume sweep failed"));
      sweep();
      const timer = setInterval(sweep, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    /** Registers the jobs on the queue. */
    register(): void {
      deps.queue.define<{ broadcastId: string }>(DELIVER_JOB, async (data, touch) => {
        await this.run(data.broadcastId, touch);
      }, { concurrency: 2 });
      deps.queue.define(RESUME_JOB, async () => {
        await this.resumeStale();
      }, { concurrency: 1 });
    },
  };
}

/** The broadcast service. */
export type BroadcastService = ReturnType<typeof createBroadcastService>;

/** The report a staff member gets when their broadcast finished. */
export function reportMsg(id: string, c: BroadcastCounts): Msg {
  return {
    key: "staff:broadcast.report",
    params: { id, delivered: c.delivered, failed: c.failed, unreachable: c.unreachable, inDoubt: c.inDoubt, seconds: Math.round(c.durationMs / 1000) },
  };
}

/** True when a resend could reach someone: something failed or is in doubt. */
export const worthResending = (c: Pick<BroadcastCounts, "failed" | "inDoubt"> | null | undefined) => !!c && c.failed + c.inDoubt > 0;

/** The report, with the resend action only when something failed or is in doubt. */
export function reportMsgs(id: string, c: BroadcastCounts): Msg[] {
  return [reportMsg(id, c), ...(worthResending(c) ? [{ key: "staff:broadcast.resend_hint", params: { id } } satisfies Msg] : [])];
}

/** An announcement and its closing line (how to stop receiving them). */
export function withFooter(text: string, footer: string | undefined): string {
  return footer ? `${text}\n\n${footer}` : text;
}

/** A short id staff can type (`/broadcast_cancel k3f9q2`). */
export function newBroadcastId(): string {
  return randomBytes(5).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "x").slice(0, 7);
}
