/**
 * Enterprises: one per canonical tax code (`_id`), and their contact persons, each one link
 * document in `enterprise_contacts` (`<taxCode>|<contactId>`, unique by `_id`). Attaching is an
 * insert and detaching a delete of one document, so concurrent changes never overwrite each other.
 * Both inserts are batched with the ones made at the same moment (a registration's hot path:
 * on FerretDB a command costs ~1 ms of CPU on each side, a document in a batch ~0.1 ms).
 */
import type { Database } from "./database.js";
import { isDuplicateKey } from "./errors.js";
import { lazyIdReader } from "./id-reader.js";
import { lazyInsertBatcher } from "./insert-batcher.js";
import { collectionOf, driverCollectionOf } from "./models/collection.js";
import type { EnterpriseDoc, LegacyContactPerson } from "./models/enterprise.js";
import { enterpriseContactId, type EnterpriseContactDoc } from "./models/enterprise-contact.js";
import type { ContactPerson, EnterpriseDetails, EnterpriseInput } from "../domain/enterprise.js";
import { taxIdKindOf, type TaxIdKind } from "../domain/personal-id.js";

/** An enterprise as the rest of the app sees it (plain data). */
export interface EnterpriseRecord {
  /** The canonical tax code, 12-digit personal ID, or `none:<id>` for "no tax code yet". */
  taxCode: string;
  taxIdKind: TaxIdKind;
  name: string;
  sector: string;
  size: string;
  address: string;
  supportInterests: string[];
  contacts: ContactPerson[];
  createdAt: Date;
}

/** A contact person from a link document (or from the legacy embedded array). */
const personOf = (c: LegacyContactPerson): ContactPerson => ({
  contactId: c.contactId, name: c.name, phone: c.phone, email: c.email ?? null, consentAt: c.consentAt,
});

function toRecord(doc: EnterpriseDoc, links: readonly EnterpriseContactDoc[]): EnterpriseRecord {
  return {
    taxCode: doc._id,
    taxIdKind: taxIdKindOf(doc._id),
    name: doc.name,
    sector: doc.sector,
    size: doc.size,
    address: doc.address,
    supportInterests: doc.supportInterests ?? [],
    contacts: links.filter((l) => l.taxCode === doc._id).map(personOf),
    createdAt: doc.createdAt,
  };
}

/** The enterprises repository. */
export function createEnterprisesRepo(db: Database) {
  const { enterprise, enterpriseContact: link } = db.models;
  // Looked up at use: a repository is built before (and without) a live connection in some callers.
  const enterpriseRows = () => collectionOf(enterprise);
  const newEnterprises = lazyInsertBatcher(() => driverCollectionOf(enterprise));
  const newLinks = lazyInsertBatcher(() => driverCollectionOf(link));
  const linkReads = lazyIdReader(() => driverCollectionOf(link), { projection: { _id: 1 } });

  const linksOf = async (taxCodes: readonly string[]) =>
    link.find({ taxCode: { $in: [...taxCodes] } }).sort({ createdAt: 1 }).lean();

  /** Inserts the link, or updates the person's details when they are linked already. */
  async function putLink(taxCode: string, person: ContactPerson): Promise<void> {
    const _id = enterpriseContactId(taxCode, person.contactId);
    const details = { name: person.name, phone: person.phone, email: person.email, consentAt: person.consentAt };
    const now = new Date();
    const outcome = await newLinks.insert({ _id, taxCode, contactId: person.contactId, ...details, createdAt: now, updatedAt: now });
    if (outcome === "duplicate") await link.updateOne({ _id }, { $set: details });
  }

  return {
    /**
     * Registers an enterprise with its first contact person; `duplicate` when its tax code is
     * already known (the insert on `_id` is the claim). `input` is validated already (zod).
     */
    async create(input: EnterpriseInput): Promise<{ ok: true } | { ok: false; reason: "duplicate" }> {
      const now = new Date();
      const outcome = await newEnterprises.insert({
        _id: input.taxCode, taxCode: input.taxCode, name: input.name, sector: input.sector, size: input.size,
        address: input.address, supportInterests: input.supportInterests, createdAt: now, updatedAt: now,
      });
      if (outcome === "duplicate") return { ok: false, reason: "duplicate" };
      await putLink(input.taxCode, input.contact);
      return { ok: true };
    },
    /** One enterprise by canonical tax code, or null. Staff and its confirmed contacts only: callers check. */
    async findByTaxCode(taxCode: string): Promise<EnterpriseRecord | null> {
      const doc = await enterprise.findById(taxCode).lean();
      return doc ? toRecord(doc, await linksOf([taxCode])) : null;
    },
    /** True when a document with this tax code exists (never shown to a non-contact). */
    async exists(taxCode: string): Promise<boolean> {
      return (await enterprise.exists({ _id: taxCode })) !== null;
    },
    /** True when this chat contact is a confirmed contact person of the enterprise. */
    async isContact(taxCode: string, contactId: string): Promise<boolean> {
      return (await linkReads.findById(enterpriseContactId(taxCode, contactId))) !== null;
    },
    /** The chat contacts (`channel:userId`) linked to an enterprise. */
    async contactIdsOf(taxCode: string): Promise<string[]> {
      return (await link.find({ taxCode }, { contactId: 1 }).lean()).map((l) => l.contactId);
    },
    /**
     * Links (or updates) this person as a contact of a known enterprise; false when it is unknown.
     * Callers decide who may (an approved request, or the person already linked).
     */
    async upsertContact(taxCode: string, person: ContactPerson): Promise<boolean> {
      if (!(await enterprise.exists({ _id: taxCode }))) return false;
      await putLink(taxCode, person);
      // The last contact may have removed the enterprise meanwhile: a remover that deletes it
      // after this check sees our link and puts it back (see removeContact); one that deleted it
      // before leaves nothing to attach to, so the link is undone and the caller told.
      if (await enterprise.exists({ _id: taxCode })) return true;
      await link.deleteOne({ _id: enterpriseContactId(taxCode, person.contactId) });
      return false;
    },
    /** Changes the enterprise's own details (a confirmed contact's update); false when unknown. */
    async updateDetails(taxCode: string, details: EnterpriseDetails): Promise<boolean> {
      const res = await enterprise.updateOne({ _id: taxCode }, { $set: { ...details, updatedAt: new Date() } });
      return res.matchedCount > 0;
    },
    /** Enterprises this chat contact is a contact person of. */
    async listForContact(contactId: string): Promise<EnterpriseRecord[]> {
      const mine = (await link.find({ contactId }, { taxCode: 1 }).lean()).map((l) => l.taxCode);
      if (mine.length === 0) return [];
      const [docs, links] = await Promise.all([enterprise.find({ _id: { $in: mine } }).lean(), linksOf(mine)]);
      return docs.map((d) => toRecord(d, links));
    },
    /** Every enterprise with its contact persons, oldest first (staff exports). */
    async listAll(): Promise<EnterpriseRecord[]> {
      const [docs, links] = await Promise.all([enterprise.find({}).sort({ createdAt: 1 }).lean(), link.find({}).sort({ createdAt: 1 }).lean()]);
      return docs.map((d) => toRecord(d, links));
    },
    /** These enterprises with their contact persons, in the order of `taxCodes` (unknown ones left out). */
    async findMany(taxCodes: readonly string[]): Promise<EnterpriseRecord[]> {
      if (taxCodes.length === 0) return [];
      const [docs, links] = await Promise.all([enterprise.find({ _id: { $in: [...taxCodes] } }).lean(), linksOf(taxCodes)]);
      const byCode = new Map(docs.map((d) => [d._id, d]));
      return taxCodes.flatMap((code) => {
        const doc = byCode.get(code);
        return doc ? [toRecord(doc, links)] : [];
      });
    },
    /** Contact keys of enterprise contact persons, optionally of one sector (broadcast audiences). */
    async contactKeys(sector?: string): Promise<string[]> {
      const codes = (await enterprise.find(sector ? { sector } : {}, { _id: 1 }).lean()).map((e) => e._id);
      const keys = (await link.find({ taxCode: { $in: codes } }, { contactId: 1 }).lean()).map((l) => l.contactId);
      return [...new Set(keys)];
    },
    /**
     * Removes this chat contact as contact person everywhere (one delete per link); an
     * enterprise left with no contact person is deleted (nobody remains to speak for it). If a
     * link appeared meanwhile (a racing attach), the enterprise is put back, so that attach holds.
     */
    async removeContact(contactId: string): Promise<{ updated: number; deleted: number }> {
      const mine = await link.find({ contactId }, { taxCode: 1 }).lean();
      let updated = 0;
      let deleted = 0;
      for (const { _id, taxCode } of mine) {
        await link.deleteOne({ _id });
        if ((await link.countDocuments({ taxCode })) > 0) {
          updated++;
          continue;
        }
        const doc = await enterprise.findById(taxCode).lean();
        if (!doc) continue;
        await enterprise.deleteOne({ _id: taxCode });
        if ((await link.countDocuments({ taxCode })) > 0) {
          await enterpriseRows().insertOne(doc).catch((e: unknown) => {
            if (!isDuplicateKey(e)) throw e;
          });
          updated++;
        } else deleted++;
      }
      return { updated, deleted };
    },
    /**
     * Moves contact persons stored the old way (an embedded `contacts` array) into link
     * documents, then drops the array. Idempotent; run at start before serving.
     */
    async migrateEmbeddedContacts(): Promise<number> {
      const old = await enterprise.find({ "contacts.0": { $exists: true } }, { contacts: 1 }).lean();
      let moved = 0;
      for (const doc of old) {
        for (const c of doc.contacts ?? []) {
          await putLink(doc._id, personOf(c));
          moved++;
        }
        await enterprise.updateOne({ _id: doc._id }, { $unset: { contacts: 1 } });
      }
      return moved;
    },
  };
}

/** The enterprises repository. */
export type EnterprisesRepo = ReturnType<typeof createEnterprisesRepo>;
