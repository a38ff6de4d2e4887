/**
 * Contact persons are one document each (issue #11 item 6): concurrent attaches are all kept,
 * and a person leaving never loses another's attach. Also the migration from the old array.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import { createRepresentationRepo } from "../../src/db/representation-repo.js";
import type { ContactPerson, EnterpriseInput } from "../../src/domain/enterprise.js";
import { openTestDatabase } from "../helpers/db.js";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase("h3_enterprise_contacts");
});
afterAll(async () => {
  await db?.close();
});

const person = (n: number): ContactPerson => ({ contactId: `telegram:${1000 + n}`, name: `Người Số ${n}`, phone: `+8491234${String(n).padStart(4, "0")}`, email: null, consentAt: new Date("2026-02-01T00:00:00Z") });
const enterprise = (taxCode: string): EnterpriseInput => ({ name: "Công ty Biển", taxCode, sector: "handicrafts", size: "small", address: "Phường Nha Trang", supportInterests: [], contact: person(0) });

describe("enterprise contact links", () => {
  it("keeps all 12 of 12 concurrent attaches", async () => {
    const repo = createEnterprisesRepo(db);
    expect((await repo.create(enterprise("0100109106"))).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => repo.upsertContact("0100109106", person(i + 1))));
    expect(results.every(Boolean)).toBe(true);
    const found = await repo.findByTaxCode("0100109106");
    expect(found!.contacts.map((c) => c.contactId).sort()).toEqual([0, ...Array.from({ length: 12 }, (_, i) => i + 1)].map((n) => person(n).contactId).sort());
  });

  it("registrations made at the same moment (one batched insert): one wins a code, distinct codes all stored", async () => {
    const repo = createEnterprisesRepo(db);
    const same = await Promise.all(Array.from({ length: 8 }, (_, i) => repo.create({ ...enterprise("5800000008"), contact: person(300 + i) })));
    expect(same.filter((r) => r.ok)).toHaveLength(1);
    expect(same.filter((r) => !r.ok && r.reason === "duplicate")).toHaveLength(7);
    expect((await repo.findByTaxCode("5800000008"))!.contacts).toHaveLength(1);
    const codes = Array.from({ length: 8 }, (_, i) => `5800000008-${String(i + 1).padStart(3, "0")}`);
    const distinct = await Promise.all(codes.map((code, i) => repo.create({ ...enterprise(code), contact: person(400 + i) })));
    expect(distinct.every((r) => r.ok)).toBe(true);
    const stored = await repo.findMany(codes);
    expect(stored.map((e) => e.contacts.map((c) => c.contactId))).toEqual(codes.map((_, i) => [person(400 + i).contactId]));
  });

  it("a person leaving while another attaches loses nothing, 10 rounds of 10", async () => {
    const repo = createEnterprisesRepo(db);
    for (let round = 0; round < 10; round++) {
      const code = `0300588569-${String(round + 1).padStart(3, "0")}`;
      await repo.create(enterprise(code));
      for (let i = 1; i <= 5; i++) await repo.upsertContact(code, person(100 + i));
      // Person 101 erases their data while 201..210 attach.
      const attaches = Array.from({ length: 10 }, (_, i) => repo.upsertContact(code, person(200 + i)));
      await Promise.all([repo.removeContact(person(101).contactId), ...attaches]);
      const ids = (await repo.findByTaxCode(code))!.contacts.map((c) => c.contactId);
      for (let i = 0; i < 10; i++) expect(ids, `round ${round}`).toContain(person(200 + i).contactId);
      expect(ids).not.toContain(person(101).contactId);
      expect(ids).toHaveLength(1 + 4 + 10);
    }
  });

  it("updates a linked person's details in place and deletes an enterprise whose last contact leaves", async () => {
    const repo = createEnterprisesRepo(db);
    await repo.create(enterprise("4200000004"));
    await repo.upsertContact("4200000004", { ...person(0), name: "Tên Mới" });
    expect((await repo.findByTaxCode("4200000004"))!.contacts).toMatchObject([{ contactId: person(0).contactId, name: "Tên Mới" }]);
    expect(await db.models.enterpriseContact.countDocuments({ taxCode: "4200000004" })).toBe(1);
    await db.models.enterpriseContact.deleteMany({ contactId: person(0).contactId, taxCode: { $ne: "4200000004" } });
    expect(await repo.removeContact(person(0).contactId)).toEqual({ updated: 0, deleted: 1 });
    expect(await repo.findByTaxCode("4200000004")).toBeNull();
    expect(await repo.upsertContact("4200000004", person(1))).toBe(false);
  });

  it("migrates contacts stored in the old embedded array, once", async () => {
    const repo = createEnterprisesRepo(db);
    await db.models.enterprise.collection.insertOne({
      _id: "0100109106-900" as never, taxCode: "0100109106-900", name: "Cũ", sector: "other", size: "micro", address: "Xã Cam Lâm", supportInterests: [],
      contacts: [person(1), person(2)], createdAt: new Date(), updatedAt: new Date(),
    });
    expect(await repo.migrateEmbeddedContacts()).toBe(2);
    expect(await repo.migrateEmbeddedContacts()).toBe(0);
    const found = await repo.findByTaxCode("0100109106-900");
    expect(found!.contacts.map((c) => c.contactId)).toEqual([person(1).contactId, person(2).contactId]);
    expect((await db.models.enterprise.findById("0100109106-900").lean())!.contacts).toBeUndefined();
  });

  it("an approval and a decline racing on one request: exactly one applies (the decision is a claim), 5 rounds", async () => {
    const repo = createEnterprisesRepo(db);
    await repo.create(enterprise("0100109106-777"));
    for (let round = 0; round < 5; round++) {
      const requests = [1, 2, 3, 4].map(() => createRepresentationRepo(db));
      const asker = person(500 + round);
      const { id } = await requests[0]!.create("0100109106-777", asker, new Date());
      const results = await Promise.all([requests[0]!.decide(id, "approve", new Date()), requests[1]!.decide(id, "decline", new Date()), requests[2]!.decide(id, "approve", new Date()), requests[3]!.decide(id, "decline", new Date())]);
      const applied = results.filter((r) => r.outcome !== "not_found");
      expect(applied, `round ${round}`).toHaveLength(1);
      expect(await repo.isContact("0100109106-777", asker.contactId)).toBe(applied[0]!.outcome === "approved");
    }
  });
});
