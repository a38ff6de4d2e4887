/**
 * The staff console's stored state (their retention is in `retention.ts`): single-use sign-in links, server-side sessions and the
 * staff audit trail. Tokens are random; only their SHA-256 is stored, so neither a backup nor a
 * log line holds a usable link or session.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Locale } from "../engine/messages.js";
import type { ClaimsRepo } from "./claims-repo.js";
import type { Database } from "./database.js";

const MAX_TIME_MS = 10_000;

/** A random token (32 bytes, URL-safe). */
export const newConsoleToken = (): string => randomBytes(32).toString("base64url");
/** What is stored for a token. */
export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

/** A session as the console reads it on each request. */
export interface ConsoleSession {
  id: string;
  staffKey: string;
  locale: Locale;
  csrf: string;
  expiresAt: Date;
  seenAt: Date;
}

/** Why a sign-in link gives no session. */
export type LinkRefusal = "unknown" | "used" | "expired";

/** One audit record: who did what, on what, with what outcome. */
export interface StaffAuditEntry {
  by: string;
  via: "console" | "chat" | "cli";
  action: string;
  target?: string | null;
  result?: string | null;
}

/** The console repository over the database's models. */
export function createConsoleRepo(db: Database, claims: ClaimsRepo) {
  const { consoleLink, consoleSession, staffAudit } = db.models;
  return {
    /** A new link for `staffKey`; the token goes into the URL and is never stored. */
    async issueLink(staffKey: string, now: Date, ttlMs: number): Promise<string> {
      const token = newConsoleToken();
      await consoleLink.create({ _id: tokenHash(token), staffKey, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs) });
      return token;
    },
    /** The link's staff member without using it (the confirmation page), or why not. */
    async peekLink(token: string, now: Date): Promise<{ staffKey: string } | LinkRefusal> {
      const doc = await consoleLink.findById(tokenHash(token)).maxTimeMS(MAX_TIME_MS).lean();
      if (!doc) return "unknown";
      if (doc.usedAt) return "used";
      if (doc.expiresAt.getTime() <= now.getTime()) return "expired";
      return { staffKey: doc.staffKey };
    },
    /** Uses the link: the first caller on any process gets its staff member (a unique-insert claim), later ones "used". */
    async takeLink(token: string, now: Date): Promise<{ staffKey: string } | LinkRefusal> {
      const found = await this.peekLink(token, now);
      if (typeof found === "string") return found;
      const id = tokenHash(token);
      if (!(await claims.claimOnce(`console-link:${id}`, now))) return "used";
      await consoleLink.updateOne({ _id: id }, { $set: { usedAt: now } });
      return found;
    },
    /** Starts a session; returns the cookie's token. */
    async createSession(staffKey: string, locale: Locale, now: Date, ttlMs: number): Promise<{ token: string; session: ConsoleSession }> {
      const token = newConsoleToken();
      const session = { id: tokenHash(token), staffKey, locale, csrf: newConsoleToken(), expiresAt: new Date(now.getTime() + ttlMs), seenAt: now };
      await consoleSession.create({ _id: session.id, staffKey, locale, csrf: session.csrf, createdAt: now, expiresAt: session.expiresAt, seenAt: now });
      return { token, session };
    },
    /** The live session behind a cookie's token, or undefined (unknown, expired or idle too long). */
    async findSession(token: string, now: Date, idleMs: number): Promise<ConsoleSession | undefined> {
      const doc = await consoleSession.findById(tokenHash(token)).maxTimeMS(MAX_TIME_MS).lean();
      if (!doc || doc.expiresAt.getTime() <= now.getTime() || doc.seenAt.getTime() + idleMs <= now.getTime()) return undefined;
      return { id: doc._id, staffKey: doc.staffKey, locale: doc.locale === "en" ? "en" : "vi", csrf: doc.csrf, expiresAt: doc.expiresAt, seenAt: doc.seenAt };
    },
    /** Marks the session used now (keeps it from idling out). */
    async touch(id: string, now: Date): Promise<void> {
      await consoleSession.updateOne({ _id: id }, { $set: { seenAt: now } });
    },
    async setLocale(id: string, locale: Locale): Promise<void> {
      await consoleSession.updateOne({ _id: id }, { $set: { locale } });
    },
    async endSession(id: string): Promise<void> {
      await consoleSession.deleteOne({ _id: id });
    },
    /** Ends every session of a staff member (removed from staff). */
    async endSessionsOf(staffKey: string): Promise<number> {
      return (await consoleSession.deleteMany({ staffKey })).deletedCount;
    },
    async audit(entry: StaffAuditEntry, at: Date): Promise<void> {
      await staffAudit.create({ at, by: entry.by, via: entry.via, action: entry.action, target: entry.target ?? null, result: entry.result ?? null });
    },
    /** The newest audit records, newest first. */
    async recentAudit(limit: number) {
      return staffAudit.find({}, { _id: 0, at: 1, by: 1, via: 1, action: 1, target: 1, result: 1 }).sort({ at: -1 }).limit(limit).maxTimeMS(MAX_TIME_MS).lean();
    },
  };
}

/** The console repository. */
export type ConsoleRepo = ReturnType<typeof createConsoleRepo>;
