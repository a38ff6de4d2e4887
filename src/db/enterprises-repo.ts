/** Enterprises: one per canonical tax code (`_id`), with their contact persons. */
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import type { ContactPerson, EnterpriseInput } from "../domain/enterprise.js";

/** An enterprise as the rest of the app sees it (plain data). */
export interface EnterpriseRecord {
  taxCode: string;
  name: string;
  sector: string;
  size: string;
  address: string;
  supportInterests: string[];
  contacts: ContactPerson[];
  createdAt: Date;
}

type EnterpriseDoc = Record<string, unknown> & { _id: string };

function toRecord(doc: EnterpriseDoc): EnterpriseRecord {
  return {
    taxCode: doc._id,
    name: doc.name as string,
    sector: doc.sector as string,
    size: doc.size as string,
    address: doc.address as string,
    supportInterests: (doc.supportInterests as string[]) ?? [],
    contacts: ((doc.contacts as ContactPerson[]) ?? []).map((c) => ({ contactId: c.contactId, name: c.name, phone: c.phone, email: c.email ?? null, consentAt: c.consentAt })),
    createdAt: doc.createdAt as Date,
  };
}

/** The enterprises repository. */
export function createEnterprisesRepo(db: Database) {
  const { enterprise } = db.models;

  return {
    /**
     * Registers an enterprise; `duplicate` when its tax code is already known (the insert on `_id`
     * is the claim). `input` is validated already (zod), so it goes to the driver as is: building
     * and validating a mongoose document again cost ~1 ms of CPU per registration.
     */
    async create(input: EnterpriseInput): Promise<{ ok: true } | { ok: false; reason: "duplicate" }> {
      const now = new Date();
      try {
        await enterprise.collection.insertOne({
          _id: input.taxCode as never, taxCode: input.taxCode, name: input.name, sector: input.sector, size: input.size,
          address: input.address, supportInterests: input.supportInterests, contacts: [input.contact], createdAt: now, updatedAt: now,
        });
        return { ok: true };
      } catch (error) {
        if (isDuplicateKey(error)) return { ok: false, reason: "duplicate" };
        throw error;
      }
    },
    /** One enterprise by canonical tax code, or null. */
    async findByTaxCode(taxCode: string): Promise<EnterpriseRecord | null> {
      const doc = await enterprise.findById(taxCode).lean();
      return doc ? toRecord(doc as EnterpriseDoc) : null;
    },
    /** Adds or replaces the contact person given by this chat contact; false when the enterprise is unknown. */
    async upsertContact(taxCode: string, person: ContactPerson): Promise<boolean> {
      const doc = await enterprise.findById(taxCode, { contacts: 1 }).lean();
      if (!doc) return false;
      const others = ((doc.contacts as ContactPerson[]) ?? []).filter((c) => c.contactId !== person.contactId);
      await enterprise.updateOne({ _id: taxCode }, { $set: { contacts: [...others, person] } });
      return true;
    },
    /** Enterprises this chat contact is a contact person of. */
    async listForContact(contactId: string): Promise<EnterpriseRecord[]> {
      const docs = await enterprise.find({ "contacts.contactId": contactId }).lean();
      return docs.map((d) => toRecord(d as EnterpriseDoc));
    },
    /**
     * Removes this chat contact as contact person everywhere; an enterprise left with no
     * contact person is deleted (nobody remains to speak for it).
     */
    async removeContact(contactId: string): Promise<{ updated: number; deleted: number }> {
      const docs = await enterprise.find({ "contacts.contactId": contactId }, { contacts: 1 }).lean();
      let updated = 0;
      let deleted = 0;
      for (const doc of docs) {
        const rest = ((doc.contacts as ContactPerson[]) ?? []).filter((c) => c.contactId !== contactId);
        if (rest.length === 0) {
          deleted += (await enterprise.deleteOne({ _id: doc._id })).deletedCount;
        } else {
          // $set of the remaining list: FerretDB's $pull does not match sub-documents by a field.
          await enterprise.updateOne({ _id: doc._id }, { $set: { contacts: rest } });
          updated++;
        }
      }
      return { updated, deleted };
    },
  };
}

/** The enterprises repository. */
export type EnterprisesRepo = ReturnType<typeof createEnterprisesRepo>;
