/**
 * The web chat's history, kept server-side so a conversation survives a reload and a restart,
 * and so announcements wait for a visitor who is not connected. One document per visitor
 * (`_id` = `web:<visitorId>`: the only indexed lookup FerretDB has), one field per message
 * under `m.<time-ordered key>`: each message is a single `$set` of a new field (no read-modify-
 * write of an array), and old messages are dropped with `$unset` of the oldest keys.
 */
import type { Database } from "../../db/database.js";
import type { ChatEntry } from "./protocol.js";

/** The collection's name. */
export const WEB_HISTORY_COLLECTION = "web_history";

/** What the web channel needs from its history. */
export interface WebHistory {
  /** Appends messages to a visitor's history. */
  append(key: string, entries: ChatEntry[], now: Date): Promise<void>;
  /** The last `keep` messages, oldest first; older ones are removed. */
  recent(key: string): Promise<ChatEntry[]>;
  /** Removes a visitor's history (their data was erased). */
  erase(key: string): Promise<void>;
  /** Removes histories untouched since before `before`; returns how many. */
  pruneIdle(before: Date): Promise<number>;
}

/** Options for `createWebHistory`. */
export interface WebHistoryOptions {
  /** Messages kept per visitor (default 60). */
  keep?: number;
}

interface HistoryDoc {
  _id: string;
  m?: Record<string, ChatEntry>;
  touchedAt?: Date;
}

/** Every operation gives up after this long: a stalled server must not hold a visitor's queue. */
const OP_TIMEOUT_MS = 10_000;

function bounded<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`web history: timed out after ${OP_TIMEOUT_MS} ms`)), OP_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

let counter = 0;
/** A key that sorts by time within one process, and is unique across processes (random tail). */
function entryKey(now: Date): string {
  counter = (counter + 1) % 1_679_616;
  const random = Math.floor(Math.random() * 1_679_616).toString(36).padStart(4, "0");
  return `k${now.getTime().toString(36).padStart(9, "0")}${counter.toString(36).padStart(4, "0")}${random}`;
}

/** The history on the bot's database (bounded waits come from the connection's timeouts). */
export function createWebHistory(db: Database, options: WebHistoryOptions = {}): WebHistory {
  const keep = options.keep ?? 60;
  const collection = () => db.connection.collection<HistoryDoc>(WEB_HISTORY_COLLECTION);

  return {
    async append(key, entries, now) {
      if (entries.length === 0) return;
      const set: Record<string, unknown> = { touchedAt: now };
      for (const entry of entries) set[`m.${entryKey(now)}`] = entry;
      await bounded(collection().updateOne({ _id: key }, { $set: set }, { upsert: true, maxTimeMS: OP_TIMEOUT_MS }));
    },
    async recent(key) {
      const doc = await bounded(collection().findOne({ _id: key }, { maxTimeMS: OP_TIMEOUT_MS }));
      const stored = doc?.m ?? {};
      const keys = Object.keys(stored).sort();
      const old = keys.slice(0, Math.max(0, keys.length - keep));
      if (old.length > 0) {
        // Only the named keys go: messages added meanwhile stay.
        await bounded(collection().updateOne({ _id: key }, { $unset: Object.fromEntries(old.map((k) => [`m.${k}`, ""])) }, { maxTimeMS: OP_TIMEOUT_MS }));
      }
      return keys.slice(old.length).map((k) => stored[k]!);
    },
    async erase(key) {
      await bounded(collection().deleteOne({ _id: key }, { maxTimeMS: OP_TIMEOUT_MS }));
    },
    async pruneIdle(before) {
      const result = await bounded(collection().deleteMany({ touchedAt: { $lt: before } }, { maxTimeMS: 60_000 }));
      return result.deletedCount;
    },
  };
}
