/**
 * Read-only figures for the staff overview: enterprises by sector and size, sign-ups per day,
 * announcements sent and delivered. Reads only (projections, no writes); counting is done here,
 * not in the web layer, so the CLI or the chat could show the same figures.
 */
import { DateTime } from "luxon";
import type { Database } from "./database.js";

/** How many of something per key (a sector id, a size id). */
export type Tally = Record<string, number>;

/** Enterprises registered, by sector and by size. */
export interface EnterpriseBreakdown {
  total: number;
  bySector: Tally;
  bySize: Tally;
}

/** Sign-ups on one day (in the office's zone): course registrations and enterprise registrations. */
export interface DailySignups {
  /** `yyyy-MM-dd` in the office's zone. */
  day: string;
  registrations: number;
  enterprises: number;
}

/** What finished announcements reached, summed. */
export interface BroadcastTotals {
  /** Announcements finished (status done), resends included. */
  finished: number;
  scheduled: number;
  recipients: number;
  delivered: number;
  failed: number;
  unreachable: number;
  inDoubt: number;
}

/** Counts dates per day in `timeZone` over the `days` days ending today (oldest first, zero days included). */
export function perDay(dates: readonly Date[], now: Date, days: number, timeZone: string): Array<{ day: string; count: number }> {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  const out = Array.from({ length: days }, (_, i) => ({ day: today.minus({ days: days - 1 - i }).toISODate() ?? "", count: 0 }));
  const index = new Map(out.map((d, i) => [d.day, i]));
  for (const date of dates) {
    const at = index.get(DateTime.fromJSDate(date, { zone: timeZone }).toISODate() ?? "");
    if (at !== undefined) out[at]!.count++;
  }
  return out;
}

const tally = (values: readonly (string | null | undefined)[]): Tally => {
  const t: Tally = {};
  for (const v of values) if (v) t[v] = (t[v] ?? 0) + 1;
  return t;
};

/** The overview's read-only queries. */
export function createStatsRepo(db: Database) {
  const { enterprise, registration, broadcast } = db.models;
  return {
    /** Every enterprise counted by sector and by size (one projected read). */
    async enterpriseBreakdown(): Promise<EnterpriseBreakdown> {
      const rows = await enterprise.find({}, { _id: 0, sector: 1, size: 1 }).lean();
      return { total: rows.length, bySector: tally(rows.map((r) => r.sector)), bySize: tally(rows.map((r) => r.size)) };
    },
    /** Course and enterprise registrations created per day over the last `days` days (cancelled ones too: a sign-up happened). */
    async signupsPerDay(now: Date, days: number, timeZone: string): Promise<DailySignups[]> {
      const since = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day").minus({ days: days - 1 }).toJSDate();
      const [regs, ents] = await Promise.all([
        registration.find({ createdAt: { $gte: since } }, { _id: 0, createdAt: 1 }).lean(),
        enterprise.find({ createdAt: { $gte: since } }, { _id: 0, createdAt: 1 }).lean(),
      ]);
      const r = perDay(regs.map((x) => x.createdAt), now, days, timeZone);
      const e = perDay(ents.map((x) => x.createdAt), now, days, timeZone);
      return r.map((d, i) => ({ day: d.day, registrations: d.count, enterprises: e[i]!.count }));
    },
    /** Finished announcements' recipients and outcomes, summed; and how many wait for their time. */
    async broadcastTotals(): Promise<BroadcastTotals> {
      const [done, scheduled] = await Promise.all([
        broadcast.find({ status: "done" }, { _id: 0, recipients: 1, counts: 1 }).lean(),
        broadcast.countDocuments({ status: "scheduled" }),
      ]);
      const totals: BroadcastTotals = { finished: done.length, scheduled, recipients: 0, delivered: 0, failed: 0, unreachable: 0, inDoubt: 0 };
      for (const b of done) {
        const c = (b.counts ?? {}) as Partial<Record<"delivered" | "failed" | "unreachable" | "inDoubt", number>>;
        totals.recipients += b.recipients ?? 0;
        totals.delivered += c.delivered ?? 0;
        totals.failed += c.failed ?? 0;
        totals.unreachable += c.unreachable ?? 0;
        totals.inDoubt += c.inDoubt ?? 0;
      }
      return totals;
    },
  };
}

/** The overview's statistics repository. */
export type StatsRepo = ReturnType<typeof createStatsRepo>;
