/**
 * Capacity and waitlist by insert claims — correct on MongoDB and on FerretDB, where
 * conditional updates are not atomic but unique indexes are.
 *
 * - A seat is a `seats` document `_id = courseId:seatNo`, seatNo in 1..capacity. Inserting it
 *   takes the seat; a second insert fails with 11000. Hence never more than `capacity` seats.
 * - A waitlist position is a `waitlistentries` document `_id = courseId:position`. A claimer
 *   starts at (highest position)+1 and moves up by one only past a position someone holds, so
 *   positions are unique and dense. Claimers in one process queue per course (fewer collisions);
 *   between processes the unique index alone decides.
 * - Leaving the waitlist is a `registrationclaims` document `_id = leave:<registrationId>`,
 *   inserted by whoever comes first: the promoter (result `promoted`, with the seat) or the
 *   person cancelling (result `cancelled`). So nobody is promoted twice or promoted after
 *   cancelling. Waiting = an entry without a leave claim (the entry's `left` flag is a read hint).
 * - Promotion reserves a free seat first (holder null), then claims the first waiting entry in
 *   order, skipping ones another process won; with no one left it releases the seat and
 *   checks the waitlist again (someone may have joined while the seat looked taken). Two
 *   processes freeing two seats thus promote the first two waiting, never skipping one.
 * - Nothing is half-saved: when a write after a claim fails, the claim is deleted again (a
 *   waitlist position is marked left instead, keeping positions dense).
 * - New registrants take a seat only while nobody waits, so nobody jumps the line.
 * A crash between reserving a seat and handing it over can leave a held seat with no holder;
 * `repairStale` in registrations-repo.ts frees such seats (run it from a periodic job).
 */
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { freeSeatNumbers } from "../domain/course.js";
import { statusRank, type RegistrationStatus } from "../domain/registration.js";
import { createKeyedQueue } from "../shared/keyed-queue.js";

/** A waitlist entry still waiting. */
export interface WaitingEntry {
  position: number;
  registrationId: string;
}

/** The claim primitives over one database. */
export function createRegistrationClaims(db: Database, random: () => number = Math.random) {
  const { seat, waitlistEntry, registrationClaim, registration } = db.models;
  const queue = createKeyedQueue();

  /** Seat numbers currently held in a course (reserved or assigned). */
  async function takenSeats(courseId: string): Promise<number[]> {
    const rows = await seat.find({ courseId }, { seatNo: 1 }).lean();
    return rows.map((r) => r.seatNo);
  }

  /** Takes a free seat for `registrationId` (null = reserve for a promotion); the seat number, or null when full. */
  async function claimSeat(courseId: string, capacity: number, registrationId: string | null): Promise<number | null> {
    // Scans are the expensive part on FerretDB: read the free seats, then re-read only after a few collisions.
    for (let pass = 0; pass < 1_000; pass++) {
      const free = freeSeatNumbers(capacity, await takenSeats(courseId));
      if (free.length === 0) return null;
      // Start at a random free seat so concurrent claimers rarely collide on the same number.
      const start = Math.floor(random() * free.length);
      let collisions = 0;
      for (let i = 0; i < free.length && collisions < 3; i++) {
        const seatNo = free[(start + i) % free.length]!;
        try {
          await seat.create({ _id: `${courseId}:${seatNo}`, courseId, seatNo, registrationId });
          return seatNo;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          collisions++;
        }
      }
    }
    throw new Error("seat claim did not settle");
  }

  /** Claims the next waitlist position for a registration. */
  async function claimWaitlistPosition(courseId: string, registrationId: string): Promise<number> {
    // Claimers in this process queue per course, so a crowd does not collide in step (each
    // collision is a wasted write); other processes are kept apart by the unique index alone.
    return queue.run(courseId, async () => {
      const last = await waitlistEntry.findOne({ courseId }, { position: 1 }).sort({ position: -1 }).lean();
      let position = (last?.position ?? 0) + 1;
      for (let attempt = 0; attempt < 100_000; attempt++, position++) {
        try {
          await waitlistEntry.create({ _id: `${courseId}:${position}`, courseId, position, registrationId });
          return position;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      throw new Error("waitlist position claim did not settle");
    });
  }

  /** True when nobody can be waiting: position 1 was never claimed (one read by `_id`). */
  async function waitlistNeverUsed(courseId: string): Promise<boolean> {
    return (await waitlistEntry.exists({ _id: `${courseId}:1` })) === null;
  }

  /**
   * Entries of a course still waiting, first in line first. The `left` flag is a hint written
   * after a leave claim (one scan instead of two); the claim stays the truth: whoever acts on
   * an entry claims it first.
   */
  async function waiting(courseId: string): Promise<WaitingEntry[]> {
    const entries = await waitlistEntry.find({ courseId, left: { $ne: true } }, { position: 1, registrationId: 1 }).sort({ position: 1 }).lean();
    return entries.map((e) => ({ position: e.position, registrationId: e.registrationId }));
  }

  /** Claims "left the waitlist" for a registration; false when someone else already did. */
  async function claimLeave(courseId: string, registrationId: string, position: number | null, result: "promoted" | "cancelled", seatNo: number | null): Promise<boolean> {
    try {
      await registrationClaim.create({ _id: `leave:${registrationId}`, kind: "leave", courseId, registrationId, result, seatNo });
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
    if (position !== null) await waitlistEntry.updateOne({ _id: `${courseId}:${position}`, registrationId }, { $set: { left: true } });
    return true;
  }

  /** Sets a status only over a lower one (statuses move forward); true when written. */
  async function setStatus(registrationId: string, status: RegistrationStatus, extra: Record<string, unknown> = {}): Promise<boolean> {
    const rank = statusRank(status);
    const res = await registration.updateOne({ _id: registrationId, statusRank: { $lt: rank } }, { $set: { status, statusRank: rank, ...extra } });
    return res.modifiedCount > 0;
  }

  /**
   * Gives free seats to waiting people, first in line first, until no seat or nobody is left.
   * Returns the ids of the registrations promoted by this call.
   */
  async function fillFreeSeats(courseId: string, capacity: number, now: Date): Promise<string[]> {
    const promoted: string[] = [];
    if (await waitlistNeverUsed(courseId)) return promoted;
    for (let round = 0; round < 100_000; round++) {
      // The seat first: a process holding a seat can always give it to the first one still waiting.
      const seatNo = await claimSeat(courseId, capacity, null);
      if (seatNo === null) break;
      const seatId = `${courseId}:${seatNo}`;
      let winner: WaitingEntry | undefined;
      try {
        for (const entry of await waiting(courseId)) {
          if (await claimLeave(courseId, entry.registrationId, entry.position, "promoted", seatNo)) {
            winner = entry;
            break;
          }
        }
      } catch (error) {
        await seat.deleteOne({ _id: seatId, registrationId: null });
        throw error;
      }
      if (!winner) {
        // Nobody (left) to promote: release, then look once more — someone may have joined the
        // line while this seat looked taken; they would otherwise wait beside a free seat.
        await seat.deleteOne({ _id: seatId, registrationId: null });
        if ((await waiting(courseId)).length === 0) break;
        continue;
      }
      await seat.updateOne({ _id: seatId, registrationId: null }, { $set: { registrationId: winner.registrationId } });
      if (await setStatus(winner.registrationId, "confirmed", { seatNo, promotedAt: now, confirmedAt: now })) {
        promoted.push(winner.registrationId);
      }
    }
    return promoted;
  }

  /** Frees seats reserved for a promotion that never completed (holder still null after `olderThan`). */
  async function releaseOrphanSeats(olderThan: Date): Promise<number> {
    const res = await seat.deleteMany({ registrationId: null, createdAt: { $lt: olderThan } });
    return res.deletedCount;
  }

  return { takenSeats, claimSeat, claimWaitlistPosition, waitlistNeverUsed, waiting, claimLeave, setStatus, fillFreeSeats, releaseOrphanSeats };
}

/** The claim primitives. */
export type RegistrationClaims = ReturnType<typeof createRegistrationClaims>;
