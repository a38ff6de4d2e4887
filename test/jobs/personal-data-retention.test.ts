/** Personal-data retention run by maintenance: course registrations, idle contact persons, old requests. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import { createRegistrationsRepo } from "../../src/db/registrations-repo.js";
import { createRepresentationRepo } from "../../src/db/representation-repo.js";
import type { Msg, UserRef } from "../../src/engine/messages.js";
import { createPersonalDataRetention } from "../../src/jobs/personal-data-retention.js";
import { openTestDatabase } from "../helpers/db.js";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase("h3_personal_data_retention");
});
afterAll(async () => {
  await db?.close();
});

const now = new Date("2027-06-01T00:00:00Z");
const consentAt = new Date("2025-01-01T00:00:00Z");

describe("personal-data retention", () => {
  it("anonymises registrations of courses ended N months ago, removes idle contact persons, expires old requests and tells the requester", async () => {
    const courses = createCoursesRepo(db);
    const course = (endAt: Date) => ({ title: { vi: "Khóa" }, description: { vi: "Mô tả" }, startAt: new Date(endAt.getTime() - 3_600_000), endAt, place: "Nha Trang", capacity: 5, deadline: new Date(endAt.getTime() - 7_200_000), audience: ["workers" as const], status: "open" as const });
    const old = await courses.create(course(new Date("2026-05-01T00:00:00Z")));
    const recent = await courses.create(course(new Date("2026-12-01T00:00:00Z")));
    const regs = createRegistrationsRepo(db);
    const reg = (courseId: string, id: string) => ({ courseId, contactId: id, fullName: "Người Học Cũ", phone: "+84912000111", enterprise: { kind: "name" as const, name: "Công ty X" }, jobTitle: "Thợ", consentAt });
    await regs.register(reg(old, "zalo:a"), new Date("2026-04-01T00:00:00Z"));
    await regs.register(reg(recent, "zalo:a"), new Date("2026-11-01T00:00:00Z"));

    const enterprises = createEnterprisesRepo(db);
    const person = (id: string) => ({ contactId: id, name: "Chủ Cũ", phone: "+84912000222", email: null, consentAt });
    await enterprises.create({ name: "Công ty Cũ", taxCode: "0100109106", sector: "other", size: "small", address: "Xã A", supportInterests: [], contact: person("zalo:idle") });
    await enterprises.create({ name: "Công ty Mới", taxCode: "0300588569", sector: "other", size: "small", address: "Xã B", supportInterests: [], contact: person("zalo:active") });
    await db.models.contact.insertMany([
      { _id: "zalo:idle", channel: "zalo", userId: "idle", lastSeenAt: new Date("2024-01-01T00:00:00Z") },
      { _id: "zalo:active", channel: "zalo", userId: "active", lastSeenAt: new Date("2027-05-01T00:00:00Z") },
    ]);
    const requests = createRepresentationRepo(db);
    await requests.create("0300588569", person("telegram:stale"), new Date("2027-04-01T00:00:00Z"));
    await requests.create("0300588569", person("telegram:fresh"), new Date("2027-05-25T00:00:00Z"));

    const told: Array<{ user: UserRef; messages: Msg[] }> = [];
    const enforce = createPersonalDataRetention({ db, retention: { courseMonths: 12, enterpriseMonths: 36, requestDays: 30 }, notifier: { notify: async (user, messages) => (told.push({ user, messages }), { ok: true }) } });
    expect(await enforce(now)).toEqual({ registrationsAnonymised: 1, contactPersonsRemoved: 1, requestsExpired: 1 });

    const oldReg = await db.models.registration.findOne({ courseId: old }).lean();
    expect(oldReg).toMatchObject({ fullName: null, phone: null, jobTitle: null, enterprise: { kind: null } });
    expect(oldReg!.erasedAt).toEqual(now);
    expect((await db.models.registration.findOne({ courseId: recent }).lean())!.fullName).toBe("Người Học Cũ");
    expect(await enterprises.findByTaxCode("0100109106")).toBeNull();
    expect((await enterprises.findByTaxCode("0300588569"))!.contacts).toHaveLength(1);
    expect((await requests.ownOf("telegram:fresh"))).toHaveLength(1);
    expect(told).toEqual([{ user: { channel: "telegram", userId: "stale" }, messages: [{ key: "enterprise:request.expired", params: { tax_code: "0300588569" } }] }]);
    // Idempotent: a second pass (another process) changes nothing more.
    expect(await enforce(now)).toEqual({ registrationsAnonymised: 0, contactPersonsRemoved: 0, requestsExpired: 0 });
  });
});
