/**
 * Registrations are per account (issue #12 item 4): one per (course, account); a phone typed by
 * someone else neither blocks its owner nor reveals their registration. Plus the migration of
 * registrations keyed by phone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { createRegistrationsRepo } from "../../src/db/registrations-repo.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

let db: Database;
const now = new Date("2026-02-01T00:00:00Z");
const course = { title: { vi: "Khóa học 5S" }, description: { vi: "5S" }, startAt: new Date("2026-03-10T01:00:00Z"), endAt: new Date("2026-03-10T09:00:00Z"), place: "Nha Trang", capacity: 5, deadline: new Date("2026-03-08T10:00:00Z"), audience: ["workers" as const], status: "open" as const };
const input = (courseId: string, contactId: string, phone: string) => ({ courseId, contactId, fullName: "Người Học", phone, enterprise: null, jobTitle: null, consentAt: now });

beforeAll(async () => {
  db = await openTestDatabase("h3_registration_per_account");
});
afterAll(async () => {
  await db?.close();
});

describe("registrations per account", () => {
  it("the same phone typed by two accounts registers both; the same account twice is refused with its own record only", async () => {
    const courseId = await createCoursesRepo(db).create(course);
    const repo = createRegistrationsRepo(db);
    const owner = await repo.register(input(courseId, "zalo:owner", "+84912345678"), now);
    expect(owner.outcome).toBe("confirmed");
    const other = await repo.register(input(courseId, "telegram:stranger", "+84912345678"), now);
    expect(other.outcome).toBe("confirmed");
    const again = await repo.register(input(courseId, "telegram:stranger", "+84987654321"), now);
    expect(again.outcome).toBe("already_registered");
    if (again.outcome !== "already_registered") throw new Error("unreachable");
    expect(again.registration?.contactId).toBe("telegram:stranger");
    // Concurrent double submits of one account: exactly one registration.
    const twice = await Promise.all([1, 2, 3].map(() => repo.register(input(courseId, "zalo:fast", "+84900000001"), now)));
    // Identical submissions are indistinguishable from a replayed update: each answers with the one registration.
    const ids = new Set(twice.map((r) => (r.outcome === "confirmed" || r.outcome === "already_registered" ? r.registration?.id : r.outcome)));
    expect(ids.size).toBe(1);
    expect(await db.models.registration.countDocuments({ courseId, contactId: "zalo:fast" })).toBe(1);
  });

  it("migrates registrations keyed by phone: keyed by account, old index dropped", async () => {
    const uri = testDatabaseUri("h3_registration_migration");
    const raw = await openDatabase(uri);
    await raw.connection.dropDatabase();
    const regs = raw.connection.collection("registrations");
    const base = { courseId: "c1", fullName: "A", consentAt: now, statusRank: 2, createdAt: now };
    await regs.insertMany([
      { ...base, _id: "a" as never, contactId: "zalo:1", phone: "+84911111111", phoneKey: "+84911111111", status: "confirmed" },
      { ...base, _id: "b" as never, contactId: "zalo:1", phone: "+84922222222", phoneKey: "+84922222222", status: "waitlisted", createdAt: new Date(now.getTime() + 1) },
      { ...base, _id: "c" as never, contactId: "zalo:2", phone: "+84933333333", phoneKey: "cancelled:c", status: "cancelled" },
    ]);
    await regs.createIndex({ courseId: 1, phoneKey: 1 }, { unique: true });
    await raw.close();
    const reopened = await openDatabase(uri);
    try {
      const docs = await reopened.connection.collection("registrations").find({}).sort({ _id: 1 }).toArray();
      expect(docs.map((d) => d.accountKey)).toEqual(["zalo:1", "legacy:b", "cancelled:c"]);
      expect(docs.every((d) => d.phoneKey === undefined)).toBe(true);
      const names = (await reopened.connection.collection("registrations").indexes()).map((i) => i.name);
      expect(names).not.toContain("courseId_1_phoneKey_1");
      expect(names).toContain("courseId_1_accountKey_1");
    } finally {
      await reopened.close();
    }
  });
});
