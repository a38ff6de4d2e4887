import type { Database } from "./database.js";
import { duplicateIndexes } from "./errors.js";
import { collectionOf } from "./models/collection.js";
import type { DeliveryDoc } from "./models/delivery.js";
import type { DeliveryOutcomeStatus } from "../domain/broadcast.js";

export type { DeliveryOutcomeStatus } from "../domain/broadcast.js";

/** The outcome of one send, to be recorded. */
export interface DeliveryMark {
  contact: string;
  status: DeliveryOutcomeStatus;
  code?: string;
  attempts: number;
}

/** How a broadcast's recipients stand. */
export interface DeliveryCounts {
  claimed: number;
  sent: number;
  failed: number;
  unreachable: number;
  /** Sent but unanswered (the answer was lost, or the process died while sending), not handed to a resend. */
  inDoubt: number;
  /** Handed over to a resend broadcast. */
  resent: number;
}

/** A contact's state within one broadcast. */
export type ContactDeliveryState = "in_doubt" | Exclude<DeliveryOutcomeStatus, "unknown"> | "resent";

/** The `_id` of a delivery claim (the outcome record adds `#`, a resend hand-over `#resent`). */
export function deliveryId(broadcastId: string, contact: string): string {
  return `${broadcastId}/${contact}`;
}

/**
 * Delivery records, insert-only on the sending path: a claim is an insert under the unique
 * `_id`, the outcome is a second insert (`_id#`) — on FerretDB an update by `_id` costs a
 * scan of the collection, an insert does not. Both are batched (unordered insertMany).
 */
export function createDeliveriesRepo(db: Database) {
  const deliveries = db.models.delivery;
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  const deliveryRows = () => collectionOf(deliveries);
  const contacts = db.models.contact;

  async function insertIgnoringDuplicates(docs: DeliveryDoc[]): Promise<Set<number>> {
    if (docs.length === 0) return new Set();
    try {
      await deliveryRows().insertMany(docs, { ordered: false });
      return new Set();
    } catch (error) {
      return duplicateIndexes(error);
    }
  }

  /** Every record of a broadcast folded per contact. */
  async function states(broadcastId: string): Promise<Map<string, ContactDeliveryState>> {
    return new Map([...(await detailed(broadcastId))].map(([c, d]) => [c, d.state]));
  }

  /** Every record of a broadcast folded per contact, with the platform's error code. */
  async function detailed(broadcastId: string): Promise<Map<string, { state: ContactDeliveryState; code?: string }>> {
    const rows = await deliveries.find({ broadcastId }, { _id: 1, contact: 1, status: 1, code: 1 }).lean();
    const byContact = new Map<string, { claimed: boolean; outcome?: DeliveryOutcomeStatus; code?: string; resent: boolean }>();
    for (const row of rows) {
      const s = byContact.get(row.contact) ?? { claimed: false, resent: false };
      if (row.status === "claimed") s.claimed = true;
      else if (row.status === "resent") s.resent = true;
      else {
        s.outcome = row.status;
        if (row.code) s.code = row.code;
      }
      byContact.set(row.contact, s);
    }
    const result = new Map<string, { state: ContactDeliveryState; code?: string }>();
    for (const [contact, s] of byContact) {
      if (!s.claimed) continue;
      const outcome = s.outcome === "unknown" || s.outcome === undefined ? "in_doubt" : s.outcome;
      result.set(contact, { state: s.resent ? "resent" : outcome, ...(s.code ? { code: s.code } : {}) });
    }
    return result;
  }

  return {
    /**
     * Claims `keys` for `broadcastId` with one unordered insert; returns those this call
     * claimed. A contact already claimed (earlier run, another process) is left out.
     */
    async claim(broadcastId: string, keys: readonly string[], at: Date): Promise<string[]> {
      const lost = await insertIgnoringDuplicates(
        keys.map((contact) => ({ _id: deliveryId(broadcastId, contact), broadcastId, contact, status: "claimed", claimedAt: at })),
      );
      return keys.filter((_, i) => !lost.has(i));
    },

    /** Records the platform's answers; one round trip for the batch. */
    async mark(broadcastId: string, marks: readonly DeliveryMark[], at: Date): Promise<void> {
      await insertIgnoringDuplicates(
        marks.map((m) => ({
          _id: `${deliveryId(broadcastId, m.contact)}#`,
          broadcastId,
          contact: m.contact,
          status: m.status,
          ...(m.code ? { code: m.code } : {}),
          attempts: m.attempts,
          claimedAt: at,
          doneAt: at,
        })),
      );
    },

    /** Contacts that already have a claim for this broadcast. */
    async existing(broadcastId: string): Promise<Set<string>> {
      return new Set((await states(broadcastId)).keys());
    },

    states,
    detailed,

    /** Counts by state. */
    async counts(broadcastId: string): Promise<DeliveryCounts> {
      const counts: DeliveryCounts = { claimed: 0, sent: 0, failed: 0, unreachable: 0, inDoubt: 0, resent: 0 };
      for (const state of (await states(broadcastId)).values()) {
        counts.claimed++;
        if (state === "in_doubt") counts.inDoubt++;
        else counts[state]++;
      }
      return counts;
    },

    /** Contacts of a broadcast in the given states (e.g. in doubt), for a resend. */
    async contactsIn(broadcastId: string, wanted: readonly ContactDeliveryState[]): Promise<string[]> {
      return [...(await states(broadcastId))].filter(([, s]) => wanted.includes(s)).map(([c]) => c);
    },

    /** Hands recipients over to a resend broadcast so the original no longer counts them in doubt or failed. */
    async markResent(broadcastId: string, keys: readonly string[], resendId: string, at: Date): Promise<void> {
      await insertIgnoringDuplicates(
        keys.map((contact) => ({ _id: `${deliveryId(broadcastId, contact)}#resent`, broadcastId, contact, status: "resent", resentIn: resendId, claimedAt: at })),
      );
    },

    /**
     * Records permanent failures on the contacts so later broadcasts skip them. Slow on FerretDB
     * (an update scans), so it runs after the sending, off the hot path.
     */
    async markContactsUnreachable(marks: ReadonlyArray<{ contact: string; code: string }>, at: Date): Promise<void> {
      for (const m of marks) await contacts.updateOne({ _id: m.contact }, { $set: { unreachableAt: at, unreachableCode: m.code } });
    },
  };
}

/** The deliveries repository. */
export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;
