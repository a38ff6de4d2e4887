import { z } from "zod";
import type { StaffRepo } from "../db/staff-repo.js";
import { staffIdPattern } from "../channels/registry.js";
import { userKey, type UserRef } from "../engine/messages.js";
import type { Clock } from "../shared/clock.js";

/** A staff member's key as typed, `<channel>:<id>` of a registered channel (the pattern `STAFF_IDS` uses too). */
export const staffKeySchema = z.string().trim().regex(staffIdPattern());

/** What staff access needs. */
export interface StaffAccessDeps {
  /** From `STAFF_IDS`: always staff, cannot be removed in chat. */
  configured: readonly string[];
  repo: StaffRepo;
  clock: Clock;
  /** How long the stored list is reused before it is read again (ms); default 5 s. */
  cacheMs?: number;
}

/** The outcome of adding or removing a staff member. */
export type StaffChange = "added" | "already" | "removed" | "not_found" | "configured" | "invalid" | "self";

/**
 * Who is staff: `STAFF_IDS` plus those stored by other staff. For showing menus the stored list
 * is read at most once per `cacheMs` (every update asks); every staff side effect asks
 * `isStaffNow`, which reads the database, so a removal on any process is binding at once.
 */
export function createStaffAccess(deps: StaffAccessDeps) {
  const configured = new Set(deps.configured);
  const cacheMs = deps.cacheMs ?? 5_000;
  // The pending read is cached, not its result: when the cache expires under load, the
  // updates arriving meanwhile share one query instead of each starting its own.
  let cached: { at: number; keys: Promise<Set<string>> } | undefined;

  function stored(): Promise<Set<string>> {
    const now = deps.clock.now();
    if (!cached || now - cached.at > cacheMs) {
      const entry = { at: now, keys: deps.repo.keys().then((keys) => new Set(keys)) };
      cached = entry;
      // A failed read is not kept: the next update reads again (this one sees the error).
      entry.keys.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.keys;
  }

  return {
    /** True for staff now: reads the stored list (no cache). Asked before every staff side effect. */
    async isStaffNow(user: UserRef): Promise<boolean> {
      const key = userKey(user);
      return configured.has(key) || (await deps.repo.has(key));
    },
    /** True for staff, from the cached list: for menus and flow gating only. The runner asks this for every update. */
    async isStaff(user: UserRef): Promise<boolean> {
      const key = userKey(user);
      return configured.has(key) || (await stored()).has(key);
    },
    async add(raw: string, by: string): Promise<StaffChange> {
      const key = staffKeySchema.safeParse(raw);
      if (!key.success) return "invalid";
      if (configured.has(key.data)) return "configured";
      const added = await deps.repo.add(key.data, by, new Date(deps.clock.now()));
      cached = undefined;
      return added ? "added" : "already";
    },
    async remove(raw: string, by: string): Promise<StaffChange> {
      const key = staffKeySchema.safeParse(raw);
      if (!key.success) return "invalid";
      if (configured.has(key.data)) return "configured";
      if (key.data === by) return "self";
      const removed = await deps.repo.remove(key.data);
      cached = undefined;
      return removed ? "removed" : "not_found";
    },
    /** Everyone with staff rights: configured first, then stored. */
    async list(): Promise<{ configured: string[]; stored: string[] }> {
      cached = undefined;
      return { configured: [...configured], stored: [...(await stored())].filter((k) => !configured.has(k)).sort() };
    },
  };
}

/** Staff access. */
export type StaffAccess = ReturnType<typeof createStaffAccess>;
