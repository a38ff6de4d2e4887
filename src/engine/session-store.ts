/** The storage port for sessions. The MongoDB implementation lives in `src/db/`. */
import type { Outgoing } from "./messages.js";
import type { Session } from "./session.js";

/**
 * The update a revision was saved for and the replies it produced, saved in the same insert:
 * a replay of that update (after a crash before the replies were sent) answers with these
 * instead of running the update again against the moved-on session.
 */
export interface HandledUpdate {
  /** `Incoming.updateKey` of the update. */
  key: string;
  replies: Outgoing[];
  /**
   * Set by the store: the updates of the few revisions before (newest first), so an update
   * replayed after the person already went on is not run again either (`readHandled`).
   */
  earlier?: { key: string; rev: number }[];
}

/** A session as read: the stored JSON as is (the runner validates it) and its revision. */
export interface StoredSession {
  /** The stored JSON, or null for someone the bot has never met (or whose data was erased). */
  value: unknown | null;
  /** How many times it was saved; the next save is `revision + 1`. 0 = never saved. */
  revision: number;
  /**
   * False when it came from this process's memory: another process may have saved a newer
   * revision since, so the runner calls `holdCurrent` before anything with side effects.
   */
  verified: boolean;
  /**
   * Set when the value is a session this process saved itself (remembered, not read back): it
   * was valid when saved, so the runner uses it without validating it again.
   */
  saved?: Session;
  /** The update the latest revision was saved for, with its replies (absent when it had no key). */
  handled?: HandledUpdate;
}

/** What a save did: `conflict` means another writer saved this revision first (nothing written). */
export type SaveOutcome = "saved" | "conflict";

/**
 * Reads and saves one session by key (`userKey(user)` = `channel:userId`) with optimistic
 * concurrency: a save names the revision it read, and loses if someone saved after it.
 */
export interface SessionStore {
  /** The latest session; `fresh` skips any in-process copy. */
  read(key: string, options?: { fresh?: boolean }): Promise<StoredSession>;
  /**
   * Before the first action with side effects runs on an unverified read: makes sure nobody saved
   * after `revision` and, where the store can, holds the next revision for this update (stores a
   * copy of `revision` as `revision + 1`, a batched insert instead of a read). Resolves the
   * revision the update's save must name (`revision`, or `revision + 1` when held), or null when
   * someone saved after `revision` (read again; nothing has run).
   */
  holdCurrent(key: string, revision: number): Promise<number | null>;
  /** Saves `session` as `revision + 1` (with the update it answers, if any); durable when it resolves `saved`. */
  write(key: string, session: Session, revision: number, handled?: HandledUpdate): Promise<SaveOutcome>;
  /** What revision `rev` was saved for, while it is kept (a read; only replays need it). */
  readHandled?(key: string, rev: number): Promise<HandledUpdate | undefined>;
}
