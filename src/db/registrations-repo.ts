/**
 * Course registrations: register (seat or waitlist), cancel (frees the seat, promotes the first
 * waiting), list, erase. The concurrency design is in `registration-claims.ts`.
 */
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import type { RegistrationDoc } from "./models/registration.js";
import { createRegistrationClaims } from "./registration-claims.js";
import { registrationGate, waitlistRank, type RegistrationRefusal } from "../domain/course.js";
import { statusRank, type EnterpriseRef, type RegistrationInput, type RegistrationStatus } from "../domain/registration.js";

/** A registration as the rest of the app sees it (plain data). */
export interface RegistrationRecord {
  id: string;
  courseId: string;
  contactId: string;
  fullName: string | null;
  phone: string | null;
  enterprise: EnterpriseRef | null;
  jobTitle: string | null;
  consentAt: Date;
  formId: string | null;
  status: RegistrationStatus;
  seatNo: number | null;
  waitPosition: number | null;
  createdAt: Date;
  cancelledAt: Date | null;
  promotedAt: Date | null;
}

/** What `register` answers; `promoted` are others moved up by the same call (to notify). */
export type RegisterResult =
  | { outcome: "confirmed"; registration: RegistrationRecord; promoted: string[] }
  | { outcome: "waitlisted"; registration: RegistrationRecord; rank: number; promoted: string[] }
  | { outcome: "already_registered"; registration: RegistrationRecord | null }
  | { outcome: "not_found" }
  | { outcome: RegistrationRefusal };

/** A half-done registration `repairStale` finished (`confirmed`/`waitlisted`) or rolled back (`removed`): its person is told. */
export interface SettledRegistration {
  registrationId: string;
  contactId: string;
  courseId: string;
  outcome: "confirmed" | "waitlisted" | "removed";
}

/**
 * Whether an existing registration came from the same form submission as `input` (its update
 * handled again): same person, same consent moment, same answers. A new attempt has its own consent.
 */
function sameSubmission(reg: RegistrationRecord, input: RegistrationInput): boolean {
  const enterprise = (e: EnterpriseRef | null | undefined) => JSON.stringify(e ?? null);
  return (
    reg.contactId === input.contactId &&
    // Consent is remembered across forms, so the form filling tells a replay from a new form.
    reg.formId === (input.formId ?? null) &&
    reg.consentAt.getTime() === new Date(input.consentAt).getTime() &&
    reg.phone === input.phone &&
    reg.fullName === (input.fullName ?? null) &&
    reg.jobTitle === (input.jobTitle ?? null) &&
    enterprise(reg.enterprise) === enterprise(input.enterprise)
  );
}

/** What `cancel` answers. */
export type CancelResult =
  | { outcome: "cancelled"; registration: RegistrationRecord; promoted: string[] }
  | { outcome: "already_cancelled" }
  | { outcome: "not_found" };

/** A stored registration as plain data (also for staff searches). */
export function toRecord(doc: RegistrationDoc): RegistrationRecord {
  const e = doc.enterprise;
  const enterprise: EnterpriseRef | null =
    e?.kind === "tax_code" && e.taxCode ? { kind: "tax_code", taxCode: e.taxCode } : e?.kind === "name" && e.name ? { kind: "name", name: e.name } : null;
  return {
    id: doc._id,
    courseId: doc.courseId,
    contactId: doc.contactId,
    fullName: doc.fullName ?? null,
    phone: doc.phone ?? null,
    enterprise,
    jobTitle: doc.jobTitle ?? null,
    consentAt: doc.consentAt,
    formId: doc.formId ?? null,
    status: doc.status,
    seatNo: doc.seatNo ?? null,
    waitPosition: doc.waitPosition ?? null,
    createdAt: doc.createdAt,
    cancelledAt: doc.cancelledAt ?? null,
    promotedAt: doc.promotedAt ?? null,
  };
}

/** The registrations repository; `random` only spreads concurrent seat claims. */
export function createRegistrationsRepo(db: Database, options: { random?: () => number } = {}) {
  const { registration, course, seat, registrationClaim } = db.models;
  const claims = createRegistrationClaims(db, options.random);

  async function byId(id: string): Promise<RegistrationRecord | null> {
    const doc = await registration.findById(id).lean();
    return doc ? toRecord(doc) : null;
  }

  /** The place in line of a waiting registration now (1 = next to be promoted), or null. */
  async function rankOf(reg: RegistrationRecord): Promise<number | null> {
    if (reg.status !== "waitlisted" || reg.waitPosition === null) return null;
    const line = await claims.waiting(reg.courseId);
    return waitlistRank(line.map((e) => e.position), reg.waitPosition);
  }

  /** Registers a person: a seat if one is free and nobody waits, else a waitlist position. */
  async function register(input: RegistrationInput, now: Date): Promise<RegisterResult> {
    const found = await course.findById(input.courseId).lean();
    if (!found) return { outcome: "not_found" };
    const gate = registrationGate(found, now);
    if (!gate.ok) return { outcome: gate.refusal };

    let id: string;
    try {
      const created = await registration.create({
        courseId: input.courseId, contactId: input.contactId, fullName: input.fullName, phone: input.phone, accountKey: input.contactId,
        enterprise: input.enterprise ?? { kind: null }, jobTitle: input.jobTitle, consentAt: input.consentAt, formId: input.formId ?? null,
        status: "pending", statusRank: statusRank("pending"),
      });
      id = created._id;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Only this account's own registration: never another person's.
      const existing = await registration.findOne({ courseId: input.courseId, accountKey: input.contactId }).lean();
      const record = existing ? toRecord(existing) : null;
      // The same form submission again (its update replayed after a crash): finish it, or say how it ended.
      if (record && sameSubmission(record, input)) return resume(record, found.capacity, now);
      return { outcome: "already_registered", registration: record };
    }
    return place(id, input.courseId, found.capacity, now);
  }

  /** Takes a seat (or a waitlist position) for a pending registration; undoes its claims when a write fails. */
  async function place(id: string, courseId: string, capacity: number, now: Date): Promise<RegisterResult> {
    let seatNo: number | null = null;
    let position: number | null = null;
    try {
      // Nobody jumps the line: while people wait, newcomers wait too.
      const nobodyWaits = (await claims.waitlistNeverUsed(courseId)) || (await claims.waiting(courseId)).length === 0;
      if (nobodyWaits) seatNo = await claims.claimSeat(courseId, capacity, id);
      if (seatNo !== null) {
        await claims.setStatus(id, "confirmed", { seatNo, confirmedAt: now });
      } else {
        position = await claims.claimWaitlistPosition(courseId, id);
        await claims.setStatus(id, "waitlisted", { waitPosition: position });
      }
    } catch (error) {
      // Undo the claims so nothing stays half-saved, then let the error boundary report it.
      await Promise.allSettled([
        seatNo !== null ? seat.deleteOne({ _id: `${courseId}:${seatNo}`, registrationId: id }) : Promise.resolve(),
        // The position stays claimed but marked left, so positions stay dense and nobody promotes a ghost.
        position !== null ? claims.claimLeave(courseId, id, position, "cancelled", null) : Promise.resolve(),
        registration.deleteOne({ _id: id }),
      ]);
      throw error;
    }

    // A seat may have been freed while we joined the line: fill it (perhaps with us).
    const promoted = seatNo === null ? await claims.fillFreeSeats(courseId, capacity, now) : [];
    return outcomeOf((await byId(id))!, position, promoted.filter((p) => p !== id));
  }

  async function outcomeOf(reg: RegistrationRecord, position: number | null, promoted: string[]): Promise<RegisterResult> {
    if (reg.status === "confirmed") return { outcome: "confirmed", registration: reg, promoted };
    return { outcome: "waitlisted", registration: reg, rank: (await rankOf(reg)) ?? position ?? 1, promoted };
  }

  /**
   * A registration whose request is being handled again: one already placed answers as it ended;
   * a `pending` one (the process died between its writes) is finished from the claims it holds,
   * or placed now. One resumer only (a `resume:` claim); a crash during the resume leaves it to `repairStale`.
   */
  async function resume(reg: RegistrationRecord, capacity: number, now: Date): Promise<RegisterResult> {
    if (reg.status === "confirmed" || reg.status === "waitlisted") return outcomeOf(reg, reg.waitPosition, []);
    if (reg.status !== "pending") return { outcome: "already_registered", registration: reg };
    try {
      await registrationClaim.create({ _id: `resume:${reg.id}`, kind: "resume", courseId: reg.courseId, registrationId: reg.id });
    } catch (error) {
      if (isDuplicateKey(error)) return { outcome: "already_registered", registration: reg };
      throw error;
    }
    const settled = await settleFromClaims(reg.id, reg.courseId, now);
    if (settled !== "none") return outcomeOf((await byId(reg.id))!, null, []);
    return place(reg.id, reg.courseId, capacity, now);
  }

  /** Gives a pending registration the status its claims say: "confirmed", "waitlisted", or "none" when it holds none. */
  async function settleFromClaims(id: string, courseId: string, now: Date): Promise<"confirmed" | "waitlisted" | "none"> {
    const [held, entry] = await Promise.all([
      seat.findOne({ courseId, registrationId: id }).lean(),
      db.models.waitlistEntry.findOne({ courseId, registrationId: id }).lean(),
    ]);
    if (held) {
      await claims.setStatus(id, "confirmed", { seatNo: held.seatNo, confirmedAt: now });
      return "confirmed";
    }
    if (entry && !entry.left) {
      await claims.setStatus(id, "waitlisted", { waitPosition: entry.position });
      return "waitlisted";
    }
    return "none";
  }

  /** Cancels a registration (of `contactId` when given); frees its seat and promotes the first waiting. */
  async function cancel(id: string, now: Date, contactId?: string): Promise<CancelResult> {
    const reg = await byId(id);
    if (!reg || (contactId !== undefined && reg.contactId !== contactId)) return { outcome: "not_found" };
    if (reg.status === "cancelled") return { outcome: "already_cancelled" };
    try {
      await registrationClaim.create({ _id: `cancel:${id}`, kind: "cancel", courseId: reg.courseId, registrationId: id, result: "cancelled" });
    } catch (error) {
      if (isDuplicateKey(error)) return { outcome: "already_cancelled" };
      throw error;
    }
    let seatNo = reg.status === "confirmed" ? reg.seatNo : null;
    if (seatNo === null && !(await claims.claimLeave(reg.courseId, id, reg.waitPosition, "cancelled", null))) {
      // Promoted a moment ago: the leave claim names the seat.
      const leave = await registrationClaim.findById(`leave:${id}`).lean();
      seatNo = leave?.result === "promoted" ? (leave.seatNo ?? null) : null;
    }
    await registration.updateOne(
      { _id: id },
      { $set: { status: "cancelled", statusRank: statusRank("cancelled"), cancelledAt: now, accountKey: `cancelled:${id}` } },
    );
    if (seatNo !== null) await seat.deleteOne({ _id: `${reg.courseId}:${seatNo}`, registrationId: { $in: [id, null] } });
    const found = await course.findById(reg.courseId, { capacity: 1, status: 1 }).lean();
    const promoted = found && found.status !== "cancelled" ? await claims.fillFreeSeats(reg.courseId, found.capacity, now) : [];
    return { outcome: "cancelled", registration: (await byId(id))!, promoted };
  }

  /** A person's registrations, newest first. */
  async function listForContact(contactId: string): Promise<RegistrationRecord[]> {
    const docs = await registration.find({ contactId }).sort({ createdAt: -1 }).lean();
    return docs.map((d) => toRecord(d));
  }

  /** A course's registrations in the order they came (staff lists and exports). */
  async function listForCourse(courseId: string): Promise<RegistrationRecord[]> {
    const docs = await registration.find({ courseId }).sort({ createdAt: 1 }).lean();
    return docs.map((d) => toRecord(d));
  }

  /** Seats held per course id. */
  async function seatsTaken(courseIds: string[]): Promise<Map<string, number>> {
    const rows = await seat.aggregate<{ _id: string; n: number }>([{ $match: { courseId: { $in: courseIds } } }, { $group: { _id: "$courseId", n: { $sum: 1 } } }]);
    return new Map(rows.map((r) => [r._id, r.n]));
  }

  /** Deletes a person's registrations after cancelling the active ones (seats freed, promotion run). */
  async function eraseForContact(contactId: string, now: Date): Promise<{ erased: number; promoted: string[] }> {
    const regs = await listForContact(contactId);
    const promoted: string[] = [];
    for (const reg of regs) {
      if (reg.status !== "cancelled") {
        const res = await cancel(reg.id, now);
        if (res.outcome === "cancelled") promoted.push(...res.promoted);
      }
    }
    // Claims and waitlist entries keep only ids (no personal data) so positions stay dense.
    const res = await registration.deleteMany({ contactId });
    return { erased: res.deletedCount, promoted };
  }

  /** Gives free seats to waiting people in order (after staff raise the capacity); the promoted ids. */
  async function fillFreeSeats(courseId: string, now: Date): Promise<string[]> {
    const found = await course.findById(courseId, { capacity: 1, status: 1 }).lean();
    if (!found || found.status === "cancelled") return [];
    return claims.fillFreeSeats(courseId, found.capacity, now);
  }

  /**
   * Repairs what a crash between two writes can leave (run from a periodic job): a registration
   * still `pending` before `olderThan` gets the status its claims say, or is removed when it
   * holds none; a seat reserved for a promotion that never completed is freed and refilled.
   */
  async function repairStale(olderThan: Date, now: Date): Promise<{ repaired: number; removed: number; seatsFreed: number; promoted: string[]; settled: SettledRegistration[] }> {
    const stale = await registration.find({ status: "pending", createdAt: { $lt: olderThan } }).lean();
    let repaired = 0;
    let removed = 0;
    const settled: SettledRegistration[] = [];
    for (const doc of stale) {
      const outcome = await settleFromClaims(doc._id, doc.courseId, now);
      if (outcome !== "none") {
        repaired++;
        settled.push({ registrationId: doc._id, contactId: doc.contactId, courseId: doc.courseId, outcome });
      } else if ((await registration.deleteOne({ _id: doc._id, status: "pending" })).deletedCount > 0) {
        removed++;
        settled.push({ registrationId: doc._id, contactId: doc.contactId, courseId: doc.courseId, outcome: "removed" });
      }
    }
    const orphans = await seat.find({ registrationId: null, createdAt: { $lt: olderThan } }, { courseId: 1 }).lean();
    const seatsFreed = await claims.releaseOrphanSeats(olderThan);
    const promoted: string[] = [];
    for (const courseId of new Set(orphans.map((o) => o.courseId))) promoted.push(...(await fillFreeSeats(courseId, now)));
    return { repaired, removed, seatsFreed, promoted, settled };
  }

  return { byId, rankOf, register, cancel, fillFreeSeats, repairStale, listForContact, listForCourse, seatsTaken, eraseForContact };
}

/** The registrations repository. */
export type RegistrationsRepo = ReturnType<typeof createRegistrationsRepo>;
