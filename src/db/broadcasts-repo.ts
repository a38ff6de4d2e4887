import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { collectionOf } from "./models/collection.js";
import type { BroadcastDoc } from "./models/broadcast.js";
import type { Audience, BroadcastText, Recipient } from "../jobs/audience.js";
import type { BroadcastStatus } from "../domain/broadcast.js";
import type { Locale } from "../engine/messages.js";

export type { BroadcastStatus } from "../domain/broadcast.js";

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

/**
 * A stored broadcast as the app sees it: the document itself (same fields, same object), its
 * `audience` and `counts` (free-form in the schema) being what `create` and the job wrote.
 */
function asRecord(doc: BroadcastDoc): BroadcastRecord {
  return { ...doc, text: { vi: doc.text?.vi ?? "", ...(doc.text?.en ? { en: doc.text.en } : {}) } };
}

/** Broadcast records and the contact query behind audiences. */
export function createBroadcastsRepo(db: Database) {
  const broadcasts = db.models.broadcast;
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  const broadcastRows = () => collectionOf(broadcasts);
  const contacts = db.models.contact;
  const claimRows = () => collectionOf(db.models.claim);
  return {
    async create(b: NewBroadcast): Promise<BroadcastRecord> {
      const doc = { _id: b.id, text: b.text, audience: b.audience, status: "scheduled" as const, sendAt: b.sendAt, createdBy: b.createdBy, createdAt: b.createdAt, ...(b.resendOf ? { resendOf: b.resendOf } : {}) };
      await broadcastRows().insertOne(doc);
      return doc;
    },
    async get(id: string): Promise<BroadcastRecord | null> {
      const doc = await broadcasts.findById(id).lean();
      return doc ? asRecord(doc) : null;
    },
    /** The most recent broadcasts, newest first. */
    async recent(limit: number): Promise<BroadcastRecord[]> {
      return (await broadcasts.find({}).sort({ createdAt: -1 }).limit(limit).lean()).map(asRecord);
    },
    /** Broadcasts in one state, oldest `sendAt` first. */
    async withStatus(status: BroadcastStatus): Promise<BroadcastRecord[]> {
      return (await broadcasts.find({ status }).sort({ sendAt: 1 }).lean()).map(asRecord);
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
        await claimRows().insertOne({ _id: key, at });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    /** The contacts that stopped receiving announcements at or after `since` (models/opt-out.ts). */
    async optedOutSince(since: Date): Promise<string[]> {
      return (await db.models.optOut.find({ at: { $gte: since } }, { contact: 1 }).lean()).map((o) => o.contact);
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
      return rows.map((r) => ({ key: r._id, channel: r.channel, userId: r.userId, locale: r.locale === "en" ? "en" : "vi" }));
    },
  };
}

/** The broadcasts repository. */
export type BroadcastsRepo = ReturnType<typeof createBroadcastsRepo>;
