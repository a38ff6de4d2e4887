/**
 * Representation requests (see the model): create, list for the people who may decide, decide
 * once. The decision is a claim (`rep-decision:<requestId>` inserted under the unique `_id`), so
 * an approval and a decline racing on two processes cannot both apply.
 */
import type { Database } from "./database.js";
import { createEnterprisesRepo } from "./enterprises-repo.js";
import { isDuplicateKey } from "./errors.js";
import { collectionOf } from "./models/collection.js";
import type { RepresentationRequestDoc } from "./models/representation-request.js";
import type { ContactPerson } from "../domain/enterprise.js";

/** A pending request as the rest of the app sees it. */
export interface RepresentationRequest {
  id: string;
  taxCode: string;
  person: ContactPerson;
  createdAt: Date;
}

/** What a decision did. */
export type DecisionResult =
  | { outcome: "approved" | "declined"; request: RepresentationRequest }
  /** The enterprise was deleted meanwhile: the request is dropped. */
  | { outcome: "gone"; request: RepresentationRequest }
  | { outcome: "not_found" };

function toRequest(d: RepresentationRequestDoc): RepresentationRequest {
  return {
    id: d._id,
    taxCode: d.taxCode,
    person: { contactId: d.contactId, name: d.name, phone: d.phone, email: d.email ?? null, consentAt: d.consentAt },
    createdAt: d.createdAt,
  };
}

/** The representation requests repository. */
export function createRepresentationRepo(db: Database) {
  const { representationRequest: requests, enterpriseContact: links, claim } = db.models;
  const enterprises = createEnterprisesRepo(db);
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  const claimRows = () => collectionOf(claim);
  const claimOnce = async (key: string, at: Date): Promise<boolean> => {
    try {
      await claimRows().insertOne({ _id: key, at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  };

  return {
    /** Records (or refreshes) this person's request for the enterprise; `created` false when one was waiting already. */
    async create(taxCode: string, person: ContactPerson, at: Date): Promise<{ id: string; created: boolean }> {
      const details = { name: person.name, phone: person.phone, email: person.email, consentAt: person.consentAt };
      try {
        const doc = await requests.create({ taxCode, contactId: person.contactId, ...details, createdAt: at });
        return { id: doc._id, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const existing = await requests.findOneAndUpdate({ taxCode, contactId: person.contactId }, { $set: details }, { returnDocument: "after" }).lean();
        return { id: existing!._id, created: false };
      }
    },
    async byId(id: string): Promise<RepresentationRequest | null> {
      const d = await requests.findById(id).lean();
      return d ? toRequest(d) : null;
    },
    /** Requests this chat contact may decide (for enterprises they are a confirmed contact of); all of them for staff. */
    async decidableBy(contactId: string, staff: boolean): Promise<RepresentationRequest[]> {
      const filter = staff ? {} : { taxCode: { $in: (await links.find({ contactId }, { taxCode: 1 }).lean()).map((l) => l.taxCode) } };
      const docs = await requests.find(filter).sort({ createdAt: 1 }).limit(50).lean();
      return docs.map((d) => toRequest(d));
    },
    /** True when this chat contact may decide this request now (a confirmed contact of its enterprise). */
    async mayDecide(request: RepresentationRequest, contactId: string): Promise<boolean> {
      return request.person.contactId !== contactId && (await enterprises.isContact(request.taxCode, contactId));
    },
    /** This person's own waiting requests (their data, for /privacy). */
    async ownOf(contactId: string): Promise<RepresentationRequest[]> {
      return (await requests.find({ contactId }).lean()).map((d) => toRequest(d));
    },
    /** Applies a decision once (the claim); approving links the person as a contact. */
    async decide(id: string, decision: "approve" | "decline", at: Date): Promise<DecisionResult> {
      const request = await this.byId(id);
      if (!request) return { outcome: "not_found" };
      if (!(await claimOnce(`rep-decision:${id}`, at))) return { outcome: "not_found" };
      let outcome: "approved" | "declined" | "gone" = decision === "approve" ? "approved" : "declined";
      if (decision === "approve" && !(await enterprises.upsertContact(request.taxCode, request.person))) outcome = "gone";
      await requests.deleteOne({ _id: id });
      return { outcome, request };
    },
    /** Deletes this person's requests (erasure, or withdrawing the enterprise consent). */
    async eraseFor(contactId: string): Promise<number> {
      return (await requests.deleteMany({ contactId })).deletedCount;
    },
    /** Requests older than `before`, deleted (retention); returned so the requesters can be told. */
    async expire(before: Date): Promise<RepresentationRequest[]> {
      const old = (await requests.find({ createdAt: { $lt: before } }).lean()).map((d) => toRequest(d));
      for (const r of old) await requests.deleteOne({ _id: r.id });
      return old;
    },
  };
}

/** The representation requests repository. */
export type RepresentationRepo = ReturnType<typeof createRepresentationRepo>;
