/**
 * Sessions: one durable insert per update, no read on the hot path, safe across processes.
 *
 * - Every save inserts revision `n + 1` into `session_revisions` under `_id = key#(n+1)`. The
 *   unique `_id` is the concurrency control: if another process saved that revision first, the
 *   insert is a duplicate, nothing is written and the runner re-reads and re-runs the update.
 *   Concurrent saves go to the server together (`createInsertBatcher`).
 * - The contact document keeps a snapshot (`sessionState`, `sessionRev`), with `lastSeenAt` and
 *   the cleared "unreachable" mark, written once the user has been quiet for 30 s (or has saved
 *   `MAX_BEHIND` revisions since the last one): about one per conversation. A new
 *   contact is inserted before its first revision, so subscriptions and audiences see them
 *   from their first reply, and a missing contact means there is nothing to read.
 * - The latest session is the snapshot plus the revisions after it (`readLatest`).
 *   This process remembers what it saved, so the next update of the same user needs no read;
 *   a remembered session is trusted for `cacheTtlMs` at most, and before an action with side
 *   effects runs on it the runner holds the next revision (`holdCurrent`: the remembered one
 *   inserted again, batched like every save, where a look-up would be a read of its own).
 * - `pruneSessionRevisions` folds revisions older than an hour into the snapshot and deletes
 *   them; remembered sessions and pending snapshots expire well before that.
 * - A revision also carries the update it answers and the replies (`handled`), in the same
 *   insert, and names the updates of the few revisions before it (`earlier`); the snapshot and
 *   the fold keep the latest, so a replayed update is answered from it, never run twice (see the
 *   runner). Replies are personal data: erasure removes them with the session.
 *
 * Why not one `updateOne` per update: on FerretDB an update costs ~2.4 ms of server CPU and a
 * read ~1.2 ms, against ~0.1 ms for a batched insert; on MongoDB the insert path is cheaper too.
 */
import type { Logger } from "../shared/logger.js";
import type { Session } from "../engine/session.js";
import type { HandledUpdate, SaveOutcome, SessionStore, StoredSession } from "../engine/session-store.js";
import type { Database } from "./database.js";
import { createIdReader } from "./id-reader.js";
import { createInsertBatcher } from "./insert-batcher.js";
import { contactDefaults } from "./models/contact.js";
import type { Locale } from "../engine/messages.js";

/** A stored revision. */
interface RevisionDoc {
  _id: string;
  key: string;
  rev: number;
  /** `{ session, handled }` as one JSON text (see `encodeRevision`); absent once erased. */
  state?: string;
  /** The session as a document: revisions with a file, and those stored before `state`; null once erased (privacy). */
  session?: unknown;
  /** The update this revision answers and its replies (as `session`); null once erased. */
  handled?: HandledUpdate | null;
  at: Date;
}

/** What a revision holds. */
interface RevisionContent {
  session: unknown;
  handled?: HandledUpdate;
}

/**
 * A revision's content as stored: one JSON text. Measured on FerretDB (batches of 16 revisions of
 * the bench's registration): 0.19 ms of server CPU and 0.11 ms in the driver per revision, against
 * 0.51 and 0.18 ms for the same content as nested documents. Sessions are JSON by design; a reply carrying a file (a Buffer) is
 * the exception and keeps the nested form, which stores it as binary.
 */
function encodeRevision(session: unknown, handled: HandledUpdate | undefined): Pick<RevisionDoc, "state" | "session" | "handled"> {
  if (handled?.replies.some((r) => r.document)) return { session, handled };
  return { state: JSON.stringify(handled ? { session, handled } : { session }) };
}

/** The content of a stored revision, in either form (`encodeRevision`). */
function decodeRevision(doc: Pick<RevisionDoc, "state" | "session" | "handled">): RevisionContent {
  if (typeof doc.state === "string") {
    const content: RevisionContent = JSON.parse(doc.state); // written by encodeRevision only
    return { session: content.session ?? null, ...(content.handled ? { handled: content.handled } : {}) };
  }
  return { session: doc.session ?? null, ...(doc.handled ? { handled: doc.handled } : {}) };
}

/** The only session field the store reads; the rest is opaque. */
type SessionLike = Pick<Session, "locale">;

/** Tuning; the defaults suit production. */
export interface SessionStoreOptions {
  clock?: () => Date;
  logger?: Pick<Logger, "warn">;
  /** Sessions remembered in memory; the least recently used are forgotten first. */
  cacheSize?: number;
  /** How long a remembered session is used without reading (must stay well under `PRUNE_AGE_MS`). */
  cacheTtlMs?: number;
  /**
   * How long a user is quiet before their contact snapshot is written (default 30 s). Each costs
   * an update (~1.1 ms of FerretDB CPU, as much as a few batched inserts) while the revisions are
   * already durable, so it is written when a conversation pauses, not per update nor per
   * interval (written every 30 s per active user, they were a quarter of the database's CPU at
   * the bench's N=2000). Someone who keeps typing gets one every `MAX_BEHIND` saves, which
   * bounds the revisions a read by another process walks.
   */
  flushMs?: number;
}

/** Revisions older than this are folded into the snapshot and deleted by maintenance. */
export const PRUNE_AGE_MS = 60 * 60_000;
/** A snapshot that could not be written for this long is dropped: its revision is in the log. */
const SNAPSHOT_GIVE_UP_MS = PRUNE_AGE_MS / 2;
/**
 * Updates per `bulkWrite` command. FerretDB 1.24 never answers an update command of 100 or more
 * statements and locks that database for good (measured: 99 fine, 100 hangs), so stay well under.
 */
const SNAPSHOTS_PER_COMMAND = 50;
/** Saves after which a snapshot is written even if the user keeps typing (revisions a cold read walks). */
const MAX_BEHIND = 16;
/** How often pending snapshots are looked at (at most; smaller when `flushMs` is). */
const SNAPSHOT_TICK_MS = 5_000;
/** A bound on revisions read after the snapshot (in practice a handful). */
const MAX_PROBES = 10_000;
/**
 * Files (staff exports) kept with a handled update's replies, in bytes: above it the update is
 * saved without its replies, and a replay runs it again (an export is read-only, so that is safe).
 */
const MAX_KEPT_DOCUMENT_BYTES = 64 * 1024;
/** Earlier updates a revision names (`HandledUpdate.earlier`). */
const EARLIER_KEPT = 8;

/** What of `handled` is kept: all of it, or nothing when its files are too large. */
function keptHandled(handled: HandledUpdate | undefined): HandledUpdate | undefined {
  if (!handled) return undefined;
  const bytes = handled.replies.reduce((sum, r) => sum + (r.document?.content.length ?? 0), 0);
  return bytes <= MAX_KEPT_DOCUMENT_BYTES ? handled : undefined;
}

/** The `_id` of one revision. */
export const revisionId = (key: string, rev: number) => `${key}#${rev}`;

/** The contact fields this store reads and writes. */
interface ContactDoc {
  _id: string;
  /** The snapshot's `{ session, handled }` as one JSON text, as a revision's `state`. */
  sessionState?: string;
  /** The snapshot's session as a document (with a file, or written before `sessionState`). */
  session?: unknown;
  sessionRev?: number;
  /** `handled` of the snapshot's revision, as a document (as `session`). */
  sessionHandled?: HandledUpdate | null;
  [field: string]: unknown;
}

/** The contact fields that hold a snapshot of `content` (the other form's fields are removed). */
function snapshotFields(session: unknown, handled: HandledUpdate | undefined): { $set: Partial<ContactDoc>; $unset: Record<string, ""> } {
  const stored = encodeRevision(session, handled);
  return stored.state !== undefined
    ? { $set: { sessionState: stored.state }, $unset: { session: "", sessionHandled: "" } }
    : { $set: { session: stored.session, sessionHandled: stored.handled ?? null }, $unset: { sessionState: "" } };
}

/** The snapshot a contact holds, in either form. */
function snapshotOf(head: ContactDoc): RevisionContent {
  return decodeRevision(typeof head.sessionState === "string" ? { state: head.sessionState } : { session: head.session, handled: head.sessionHandled });
}

/**
 * The driver's own collections (on this path mongoose's wrapper costs CPU and adds nothing), and
 * the hot reads by `_id`, batched (`createIdReader`). `promoteBuffers`: a kept file comes back
 * as the Buffer it was saved as.
 */
function collections(db: Database) {
  const native = db.connection.db;
  if (!native) throw new Error("session store: the database connection is not open");
  const contacts = native.collection<ContactDoc>(db.models.contact.collection.collectionName);
  const revisions = native.collection<RevisionDoc>(db.models.sessionRevision.collection.collectionName);
  return {
    contacts,
    revisions,
    heads: createIdReader(contacts, { projection: { sessionState: 1, session: 1, sessionRev: 1, sessionHandled: 1 }, promoteBuffers: true }),
    revisionReads: createIdReader(revisions, { projection: { state: 1, session: 1, handled: 1 }, promoteBuffers: true }),
    // "Did anyone save after this revision?" needs the id only, not the revision's 1–2 KB.
    revisionIds: createIdReader(revisions, { projection: { _id: 1 } }),
  };
}

/** What `readLatest` found. */
interface Latest {
  value: unknown | null;
  revision: number;
  contactExists: boolean;
  handled?: HandledUpdate;
}

/** The latest saved session of `key`: the contact's snapshot, then every revision after it. */
async function readLatest({ heads, revisionReads }: ReturnType<typeof collections>, key: string): Promise<Latest> {
  const head = await heads.findById(key);
  // A contact is created before its first revision (see `write`), so none means never saved.
  if (head === null) return { value: null, revision: 0, contactExists: false };
  let revision = typeof head.sessionRev === "number" ? head.sessionRev : 0;
  let { session: value, handled } = snapshotOf(head);
  for (let i = 0; i < MAX_PROBES; i += 1) {
    const next = await revisionReads.findById(revisionId(key, revision + 1));
    if (!next) break;
    revision += 1;
    ({ session: value, handled } = decodeRevision(next));
  }
  return { value, revision, contactExists: true, ...(handled ? { handled } : {}) };
}

/** The latest saved session of `key`, read from the database (tests and tools). */
export function readLatestSession(db: Database, key: string): Promise<Latest> {
  return readLatest(collections(db), key);
}

/** The session's language, when it has chosen one (a stored session is opaque JSON here). */
function localeOf(session: unknown): Locale | undefined {
  if (typeof session !== "object" || session === null || !("locale" in session)) return undefined;
  return session.locale === "vi" || session.locale === "en" ? session.locale : undefined;
}

/** What every snapshot records besides the session: the user was seen then (and is reachable). */
function seenFields(s: { session: SessionLike; at: Date }) {
  const locale = s.session.locale;
  return { lastSeenAt: s.at, updatedAt: s.at, unreachableAt: null, unreachableCode: null, ...(locale ? { locale } : {}) };
}

/** The fields a contact created by a save starts with (besides `seenFields`). */
function createdFields(key: string, s: { session: SessionLike; at: Date }, defaultLocale: Locale) {
  const { locale: fallback, ...base } = contactDefaults(key, defaultLocale);
  return { ...base, createdAt: s.at, ...(s.session.locale ? {} : { locale: fallback }) };
}

/** The contact update that records a snapshot (and that the user was seen then). */
function snapshotUpdate(key: string, s: { rev: number; session: SessionLike; at: Date; handled?: HandledUpdate }, defaultLocale: Locale) {
  const stored = snapshotFields(s.session, s.handled);
  return { $set: { ...stored.$set, sessionRev: s.rev, ...seenFields(s) }, $unset: stored.$unset, $setOnInsert: createdFields(key, s, defaultLocale) };
}

/** A new contact document, as `snapshotUpdate` would upsert it but without the session. */
function newContact(key: string, s: { session: SessionLike; at: Date }, defaultLocale: Locale) {
  return { _id: key, ...createdFields(key, s, defaultLocale), ...seenFields(s) };
}

interface Remembered {
  rev: number;
  value: unknown;
  /** `value` when it is a session this process saved (validated by the engine already). */
  saved?: Session;
  /** When it was read or saved (ms), for `cacheTtlMs`. */
  since: number;
  contactExists: boolean;
  handled?: HandledUpdate;
}

interface Snapshot {
  rev: number;
  session: SessionLike;
  at: Date;
  handled?: HandledUpdate;
  /** Saves of this user since the last snapshot this process wrote. */
  behind: number;
}

/** The MongoDB session store (see the file comment); `close()` writes pending snapshots. */
export function createMongoSessionStore(db: Database, options: SessionStoreOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  const cacheSize = options.cacheSize ?? 10_000;
  const cacheTtlMs = options.cacheTtlMs ?? 10 * 60_000;
  const cols = collections(db);
  const { contacts, revisions, revisionReads, revisionIds } = cols;
  const inserts = createInsertBatcher(revisions);
  const newContacts = createInsertBatcher(contacts);
  const remembered = new Map<string, Remembered>();
  const pending = new Map<string, Snapshot>();
  let flushing: Promise<void> | null = null;

  function remember(key: string, entry: Remembered) {
    remembered.delete(key); // re-insert: a Map iterates in insertion order, so the oldest is first
    remembered.set(key, entry);
    const oldest = remembered.keys().next();
    if (remembered.size > cacheSize && !oldest.done) remembered.delete(oldest.value);
  }

  async function writeSnapshots(batch: [string, Snapshot][]): Promise<void> {
    if (batch.length === 0) return;
    try {
      for (let i = 0; i < batch.length; i += SNAPSHOTS_PER_COMMAND) {
        await contacts.bulkWrite(
          batch.slice(i, i + SNAPSHOTS_PER_COMMAND).map(([key, s]) => ({ updateOne: { filter: { _id: key }, update: snapshotUpdate(key, s, db.defaultLocale), upsert: true } })),
          { ordered: false },
        );
      }
    } catch (error) {
      // Keep them for the next round unless a newer one is waiting or they are too old to matter.
      const cutoff = clock().getTime() - SNAPSHOT_GIVE_UP_MS;
      for (const [key, s] of batch) if (!pending.has(key) && s.at.getTime() > cutoff) pending.set(key, s);
      options.logger?.warn({ err: error instanceof Error ? error.name : typeof error, snapshots: batch.length }, "session snapshots not written; will retry");
    }
  }

  /** Writes the pending snapshots that are due (every one when `all`); one round at a time. */
  function flush(all: boolean): Promise<void> {
    if (flushing) return flushing;
    const quietSince = clock().getTime() - quietMs;
    const batch = [...pending.entries()].filter(([, s]) => all || s.at.getTime() <= quietSince || s.behind >= MAX_BEHIND);
    for (const [key] of batch) pending.delete(key);
    flushing = writeSnapshots(batch).finally(() => {
      flushing = null;
    });
    return flushing;
  }

  const quietMs = options.flushMs ?? 30_000;
  const timer = setInterval(() => void flush(false), Math.min(SNAPSHOT_TICK_MS, quietMs));
  timer.unref();

  const store: SessionStore = {
    async read(key, readOptions) {
      const hit = readOptions?.fresh ? undefined : remembered.get(key);
      if (hit && clock().getTime() - hit.since < cacheTtlMs) {
        remember(key, hit);
        return { value: hit.value, revision: hit.rev, verified: false, ...(hit.saved ? { saved: hit.saved } : {}), ...(hit.handled ? { handled: hit.handled } : {}) } satisfies StoredSession;
      }
      const { handled, ...latest } = await readLatest(cols, key);
      remember(key, { rev: latest.revision, value: latest.value, since: clock().getTime(), contactExists: latest.contactExists, ...(handled ? { handled } : {}) });
      return { value: latest.value, revision: latest.revision, verified: true, ...(handled ? { handled } : {}) };
    },

    async holdCurrent(key, revision) {
      const known = remembered.get(key);
      if (!known || known.rev !== revision) {
        // Nothing to copy (not remembered at this revision): only check that nobody saved after it.
        return (await revisionIds.findById(revisionId(key, revision + 1))) === null ? revision : null;
      }
      // Store the remembered revision again as the next one. A duplicate means another process
      // saved after `revision`; else nobody else can save that revision now, and a crash before
      // this update's own save leaves the conversation exactly as it was (same session, same
      // answered update), as a crash before a save always does.
      const rev = revision + 1;
      const at = clock();
      const outcome = await inserts.insert({ _id: revisionId(key, rev), key, rev, ...encodeRevision(known.value, known.handled), at });
      if (outcome === "duplicate") {
        remembered.delete(key);
        return null;
      }
      remember(key, { ...known, rev, since: at.getTime() });
      return rev;
    },

    async readHandled(key, rev) {
      const found = await revisionReads.findById(revisionId(key, rev));
      return found ? decodeRevision(found).handled : undefined;
    },

    async write(key, session, revision, answered): Promise<SaveOutcome> {
      const rev = revision + 1;
      const at = clock();
      // The runner read before it saves, so what it read is remembered here (with its update).
      const before = remembered.get(key);
      const earlier = before?.rev === revision && before.handled ? [{ key: before.handled.key, rev: revision }, ...(before.handled.earlier ?? [])].slice(0, EARLIER_KEPT) : [];
      const kept = keptHandled(answered);
      const handled = kept && { ...kept, earlier };
      const snapshot = { rev, session, at, ...(handled ? { handled } : {}) };
      // First contact: create the contact (an insert, batched) before its first revision, so
      // "no contact" always means "no revisions" (reads skip the look for them) and the contact
      // exists from the first reply on. It carries no session: this save may still lose its race.
      // A duplicate means it exists already.
      if (!remembered.get(key)?.contactExists) await newContacts.insert(newContact(key, snapshot, db.defaultLocale));
      const outcome = await inserts.insert({ _id: revisionId(key, rev), key, rev, ...encodeRevision(session, handled), at });
      if (outcome === "duplicate") {
        remembered.delete(key);
        return "conflict";
      }
      remember(key, { rev, value: session, since: at.getTime(), contactExists: true, saved: session, ...(handled ? { handled } : {}) });
      pending.set(key, { ...snapshot, behind: (pending.get(key)?.behind ?? 0) + 1 });
      return "saved";
    },
  };

  return {
    ...store,
    /**
     * Forgets the stored conversation of `key` (privacy erasure): the snapshot's session and the
     * content of every revision. The revisions themselves stay (empty) until pruned: deleting
     * them would free their numbers, and a process still holding an older one could then save
     * over a newer conversation instead of being told it is behind.
     */
    async erase(key: string): Promise<void> {
      await flushing;
      pending.delete(key);
      await contacts.updateOne({ _id: key }, { $unset: { sessionState: 1, session: 1, sessionHandled: 1 } });
      await revisions.updateMany({ key }, { $set: { session: null, handled: null }, $unset: { state: "" } });
      const known = remembered.get(key);
      if (known) remember(key, { rev: known.rev, value: null, since: known.since, contactExists: known.contactExists });
    },
    /** Writes the snapshots that are due now, as the timer does (tests). */
    flushDue: () => flush(false),
    /** Writes pending snapshots now (tests, shutdown). */
    async flush(): Promise<void> {
      await flushing;
      await flush(true);
    },
    /** Stops the snapshot timer and writes what is pending. */
    async close(): Promise<void> {
      clearInterval(timer);
      await flushing;
      await flush(true);
    },
  };
}

/** The MongoDB-backed session store. */
export type MongoSessionStore = ReturnType<typeof createMongoSessionStore>;

/**
 * Folds revisions saved before `olderThan` into the contacts' snapshots (when a snapshot is
 * behind) and deletes them. Idempotent and safe to run in several processes.
 */
export async function pruneSessionRevisions(db: Database, olderThan: Date): Promise<{ folded: number; deleted: number }> {
  const { contacts, revisions } = collections(db);
  const old = await revisions.find({ at: { $lt: olderThan } }, { projection: { key: 1, rev: 1 } }).toArray();
  const newest = new Map<string, number>();
  for (const r of old) newest.set(r.key, Math.max(newest.get(r.key) ?? 0, r.rev));
  let folded = 0;
  for (const [key, rev] of newest) {
    const head = await contacts.findOne({ _id: key }, { projection: { sessionRev: 1 } });
    if (typeof head?.sessionRev === "number" && head.sessionRev >= rev) continue;
    const entry = await revisions.findOne({ _id: revisionId(key, rev) }, { promoteBuffers: true });
    if (!entry) continue;
    const content = decodeRevision(entry);
    const stored = snapshotFields(content.session, content.handled);
    await contacts.updateOne(
      { _id: key },
      {
        $set: { ...stored.$set, sessionRev: rev },
        $unset: stored.$unset,
        $setOnInsert: { ...contactDefaults(key, localeOf(content.session) ?? db.defaultLocale), createdAt: entry.at, updatedAt: entry.at },
      },
      { upsert: true },
    );
    folded += 1;
  }
  const { deletedCount } = await revisions.deleteMany({ at: { $lt: olderThan } });
  return { folded, deleted: deletedCount };
}
