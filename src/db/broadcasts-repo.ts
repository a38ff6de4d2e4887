import type { Database } from "./database.js";
import type { Audience, BroadcastText, Recipient } from "../jobs/audience.js";
import type { ChannelName, Locale } from "../engine/messages.js";

/** A broadcast's lifecycle. */
export type BroadcastStatus = "scheduled" | "sending" | "done" | "cancelled";

/** Final numbers of a broadcast. */
export interface BroadcastCounts {
  delivered: number;
  failed: number;
  unreachable: number;
  inDoubt: number;
  resent: number;
  durationMs: number;
}

/** A broadcast as the rest of the app sees it. */
export interface BroadcastRecord {
  _id: string;
  text: BroadcastText;
  audience: Audience;
  status: BroadcastStatus;
  sendAt: Date;
  createdBy: string;
  createdAt: Date;
  startedAt?: Date | null;
  heartbeatAt?: Date | null;
  finishedAt?: Date | null;
  recipients?: number | null;
  counts?: BroadcastCounts | null;
  resendOf?: string | null;
}

/** What creating a broadcast needs. */
export interface NewBroadcast {
  id: string;
  text: BroadcastText;
  audience: Audience;
  sendAt: Date;
  createdBy: string;
  createdAt: Date;
  resendOf?: string;
}

/** Broadcast records and the contact query behind audiences. */
export function createBroadcastsRepo(db: Database) {
  const broadcasts = db.models.broadcast;
  const contacts = db.models.contact;
  const claims = db.models.claim;
  return {
    async create(b: NewBroadcast): Promise<BroadcastRecord> {
      const doc = { _id: b.id, text: b.text, audience: b.audience, status: "scheduled", sendAt: b.sendAt, createdBy: b.createdBy, createdAt: b.createdAt, ...(b.resendOf ? { resendOf: b.resendOf } : {}) };
      await broadcasts.collection.insertOne(doc as never);
      return doc as BroadcastRecord;
    },
    async get(id: string): Promise<BroadcastRecord | null> {
      return (await broadcasts.findById(id).lean()) as BroadcastRecord | null;
    },
    /** The most recent broadcasts, newest first. */
    async recent(limit: number): Promise<BroadcastRecord[]> {
      return (await broadcasts.find({}).sort({ createdAt: -1 }).limit(limit).lean()) as BroadcastRecord[];
    },
    /** Broadcasts in one state, oldest `sendAt` first. */
    async withStatus(status: BroadcastStatus): Promise<BroadcastRecord[]> {
      return (await broadcasts.find({ status }).sort({ sendAt: 1 }).lean()) as BroadcastRecord[];
    },
    async setStatus(id: string, status: BroadcastStatus, extra: Record<string, unknown> = {}): Promise<void> {
      await broadcasts.updateOne({ _id: id }, { $set: { status, ...extra } });
    },
    async heartbeat(id: string, at: Date): Promise<void> {
      await broadcasts.updateOne({ _id: id }, { $set: { heartbeatAt: at } });
    },
    /** Takes a once-only marker (e.g. `report/<id>`); false when someone already has it. */
    async claimOnce(key: string, at: Date): Promise<boolean> {
      try {
        await claims.collection.insertOne({ _id: key, at } as never);
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === 11000) return false;
        throw error;
      }
    },
    /** True when this contact is subscribed (announcements consent) now: read by `_id` (indexed on FerretDB too). */
    async mayReceive(key: string): Promise<boolean> {
      const row = await contacts.findById(key, { subscribed: 1 }).lean();
      return row?.subscribed === true;
    },
    /**
     * Contacts who may receive broadcasts: talked to the bot, subscribed, reachable; limited to
     * `keys` and/or one language when given.
     */
    async recipients(filter: { keys?: readonly string[]; locale?: Locale }): Promise<Recipient[]> {
      const query: Record<string, unknown> = { subscribed: true, unreachableAt: null, lastSeenAt: { $exists: true } };
      if (filter.keys) query._id = { $in: [...filter.keys] };
      if (filter.locale) query.locale = filter.locale;
      const rows = await contacts.find(query, { _id: 1, channel: 1, userId: 1, locale: 1 }).lean();
      return rows.map((r) => ({ key: r._id, channel: r.channel as ChannelName, userId: r.userId, locale: (r.locale === "en" ? "en" : "vi") as Locale }));
    },
  };
}

/** The broadcasts repository. */
export type BroadcastsRepo = ReturnType<typeof createBroadcastsRepo>;
