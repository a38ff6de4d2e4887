import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { createRegistrationsRepo } from "../../src/db/registrations-repo.js";
import { openTestDatabase } from "../helpers/db.js";

let db: Database;
const now = new Date("2026-02-01T00:00:00Z");

function course(capacity: number, overrides: Record<string, unknown> = {}) {
  return {
    title: { vi: "Khóa học Kaizen" },
    description: { vi: "Cải tiến liên tục" },
    startAt: new Date("2026-03-10T01:00:00Z"),
    endAt: new Date("2026-03-10T09:00:00Z"),
    place: "Nha Trang",
    capacity,
    deadline: new Date("2026-03-08T10:00:00Z"),
    audience: ["workers" as const],
    status: "open" as const,
    ...overrides,
  };
}

const phone = (i: number) => `+8491${String(i).padStart(7, "0")}`;
const input = (courseId: string, i: number) => ({
  courseId, contactId: `terminal:u${i}`, fullName: `Người ${String.fromCharCode(65 + (i % 26))}`, phone: phone(i),
  enterprise: null, jobTitle: null, consentAt: now,
});

beforeAll(async () => {
  db = await openTestDatabase("registrations_repo");
});
afterAll(async () => {
  await db?.close();
});

describe("registrations under concurrency (real database)", () => {
  it("200 concurrent registrations for 50 seats: 50 confirmed, 150 waitlisted 1..150; 10 cancellations promote the first 10 in order", async () => {
    const courses = createCoursesRepo(db);
    // Four repositories stand for four bot processes: their in-process queues do not see each other.
    const repos = [0, 1, 2, 3].map(() => createRegistrationsRepo(db));
    const repo = repos[0]!;
    const courseId = await courses.create(course(50));

    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => repos[i % 4]!.register(input(courseId, i), now)));
    const confirmed = results.filter((r) => r.outcome === "confirmed");
    const waitlisted = results.filter((r) => r.outcome === "waitlisted");
    expect(confirmed).toHaveLength(50);
    expect(waitlisted).toHaveLength(150);
    expect(await db.models.seat.countDocuments({ courseId })).toBe(50);

    const all = await repo.listForCourse(courseId);
    expect(all.filter((r) => r.status === "confirmed")).toHaveLength(50);
    expect(new Set(all.filter((r) => r.status === "confirmed").map((r) => r.seatNo))).toEqual(new Set(Array.from({ length: 50 }, (_, i) => i + 1)));
    const positions = all.filter((r) => r.status === "waitlisted").map((r) => r.waitPosition!).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

    const byPosition = new Map(all.filter((r) => r.status === "waitlisted").map((r) => [r.waitPosition!, r.id]));
    const toCancel = all.filter((r) => r.status === "confirmed").slice(0, 10);
    const cancelled = await Promise.all(toCancel.map((r, i) => repos[i % 4]!.cancel(r.id, now)));
    expect(cancelled.every((c) => c.outcome === "cancelled")).toBe(true);
    const promotedIds = cancelled.flatMap((c) => (c.outcome === "cancelled" ? c.promoted : []));
    expect(new Set(promotedIds)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => byPosition.get(i + 1)!)));
    expect(promotedIds).toHaveLength(10);

    const after = await repo.listForCourse(courseId);
    expect(after.filter((r) => r.status === "confirmed")).toHaveLength(50);
    expect(after.filter((r) => r.status === "cancelled")).toHaveLength(10);
    const stillWaiting = after.filter((r) => r.status === "waitlisted").map((r) => r.waitPosition!).sort((a, b) => a - b);
    expect(stillWaiting).toEqual(Array.from({ length: 140 }, (_, i) => i + 11));
    expect(await db.models.seat.countDocuments({ courseId })).toBe(50);
    // The person at position 11 is now first in line.
    expect(await repo.rankOf(after.find((r) => r.waitPosition === 11)!)).toBe(1);
  }, 240_000);

  it("promotes strictly in order when cancellations come one by one", async () => {
    const courses = createCoursesRepo(db);
    const repo = createRegistrationsRepo(db);
    const courseId = await courses.create(course(2));
    const regs = [];
    for (let i = 0; i < 5; i++) regs.push(await repo.register(input(courseId, 1000 + i), now));
    expect(regs.map((r) => r.outcome)).toEqual(["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]);
    const ids = regs.map((r) => ("registration" in r && r.registration ? r.registration.id : ""));
    const first = await repo.cancel(ids[1]!, now);
    expect(first).toMatchObject({ outcome: "cancelled", promoted: [ids[2]] });
    const second = await repo.cancel(ids[0]!, now);
    expect(second).toMatchObject({ outcome: "cancelled", promoted: [ids[3]] });
    // A waiting person cancelling leaves the line without taking a seat.
    expect(await repo.cancel(ids[4]!, now)).toMatchObject({ outcome: "cancelled", promoted: [] });
    expect(await repo.cancel(ids[4]!, now)).toEqual({ outcome: "already_cancelled" });
  });

  it("refuses the same account twice (per account, not per phone: issue #12), but accepts it again after a cancellation", async () => {
    const courseId = await createCoursesRepo(db).create(course(5));
    const repo = createRegistrationsRepo(db);
    const first = await repo.register(input(courseId, 7), now);
    expect(first.outcome).toBe("confirmed");
    // A new submission (a later consent) of the same account, and another account typing the same phone.
    const later = new Date(now.getTime() + 60_000);
    const twice = await Promise.all([repo.register({ ...input(courseId, 7), consentAt: later }, now), repo.register({ ...input(courseId, 7), contactId: "zalo:other" }, now)]);
    expect(twice.map((t) => t.outcome)).toEqual(["already_registered", "confirmed"]);
    if (first.outcome !== "confirmed") throw new Error("unreachable");
    await repo.cancel(first.registration.id, now);
    expect((await repo.register(input(courseId, 7), now)).outcome).toBe("confirmed");
  });

  it("a submission handled again after a crash is finished (pending) or answered as it ended, never refused", async () => {
    const courseId = await createCoursesRepo(db).create(course(1));
    const repo = createRegistrationsRepo(db);
    const done = await repo.register(input(courseId, 40), now);
    expect(done.outcome).toBe("confirmed");
    // The same update replayed: the same registration, still confirmed, no second seat.
    const again = await repo.register(input(courseId, 40), now);
    expect(again).toMatchObject({ outcome: "confirmed", registration: { id: done.outcome === "confirmed" ? done.registration.id : "" } });
    // A crash right after the insert left a pending registration with no claim: the replay places it.
    const crashed = input(courseId, 41);
    await db.models.registration.create({ ...crashed, enterprise: { kind: null }, accountKey: crashed.contactId, status: "pending", statusRank: 0 });
    const resumed = await repo.register(crashed, now);
    expect(resumed.outcome).toBe("waitlisted"); // the only seat is taken
    // A crash after the seat claim: the replay gives the status the claim says.
    const courseB = await createCoursesRepo(db).create(course(3));
    const withSeat = input(courseB, 42);
    const doc = await db.models.registration.create({ ...withSeat, enterprise: { kind: null }, accountKey: withSeat.contactId, status: "pending", statusRank: 0 });
    await db.models.seat.create({ _id: `${courseB}:2`, courseId: courseB, seatNo: 2, registrationId: doc._id });
    expect(await repo.register(withSeat, now)).toMatchObject({ outcome: "confirmed", registration: { id: doc._id, seatNo: 2 } });
    expect(await db.models.seat.countDocuments({ courseId: courseB })).toBe(1);
    expect(await db.models.registration.countDocuments({ courseId: { $in: [courseId, courseB] }, status: "pending" })).toBe(0);
  });

  it("refuses after the deadline, for closed and cancelled courses, and unknown ids", async () => {
    const courses = createCoursesRepo(db);
    const repo = createRegistrationsRepo(db);
    const open = await courses.create(course(5));
    const closed = await courses.create(course(5, { status: "closed" }));
    const cancelled = await courses.create(course(5, { status: "cancelled" }));
    expect((await repo.register(input(open, 1), new Date("2026-03-09T00:00:00Z"))).outcome).toBe("deadline_passed");
    expect((await repo.register(input(closed, 1), now)).outcome).toBe("closed");
    expect((await repo.register(input(cancelled, 1), now)).outcome).toBe("cancelled");
    expect((await repo.register(input("0123456789abcdef01234567", 1), now)).outcome).toBe("not_found");
    expect(await db.models.registration.countDocuments({ courseId: { $in: [open, closed, cancelled] } })).toBe(0);
  });

  it("only the owner can cancel through the contact check", async () => {
    const courseId = await createCoursesRepo(db).create(course(5));
    const repo = createRegistrationsRepo(db);
    const reg = await repo.register(input(courseId, 9), now);
    if (reg.outcome !== "confirmed") throw new Error("expected a seat");
    expect(await repo.cancel(reg.registration.id, now, "telegram:someone-else")).toEqual({ outcome: "not_found" });
    expect((await repo.cancel(reg.registration.id, now, "terminal:u9")).outcome).toBe("cancelled");
  });

  it("undoes the claim when a later write fails (nothing half-saved)", async () => {
    const courseId = await createCoursesRepo(db).create(course(3));
    const repo = createRegistrationsRepo(db);
    const original = db.models.registration.updateOne.bind(db.models.registration);
    // Make the status write after the seat claim fail once, as an outage would.
    (db.models.registration as unknown as { updateOne: unknown }).updateOne = () => Promise.reject(new Error("boom"));
    try {
      await expect(repo.register(input(courseId, 42), now)).rejects.toThrow("boom");
    } finally {
      (db.models.registration as unknown as { updateOne: unknown }).updateOne = original;
    }
    expect(await db.models.seat.countDocuments({ courseId })).toBe(0);
    expect(await db.models.registration.countDocuments({ courseId })).toBe(0);
    expect((await repo.register(input(courseId, 42), now)).outcome).toBe("confirmed");
  });

  it("undoes a waitlist claim when a later write fails: nobody promotes the ghost", async () => {
    const courseId = await createCoursesRepo(db).create(course(1));
    const repo = createRegistrationsRepo(db);
    const first = await repo.register(input(courseId, 50), now);
    expect(first.outcome).toBe("confirmed");
    const original = db.models.registration.updateOne.bind(db.models.registration);
    (db.models.registration as unknown as { updateOne: unknown }).updateOne = () => Promise.reject(new Error("boom"));
    try {
      await expect(repo.register(input(courseId, 51), now)).rejects.toThrow("boom");
    } finally {
      (db.models.registration as unknown as { updateOne: unknown }).updateOne = original;
    }
    expect(await db.models.registration.countDocuments({ courseId })).toBe(1);
    const third = await repo.register(input(courseId, 52), now);
    expect(third).toMatchObject({ outcome: "waitlisted", rank: 1 });
    if (first.outcome !== "confirmed" || third.outcome !== "waitlisted") throw new Error("unreachable");
    expect(await repo.cancel(first.registration.id, now)).toMatchObject({ outcome: "cancelled", promoted: [third.registration.id] });
  });

  it("promotes waiting people in order when staff raise the capacity", async () => {
    const courseId = await createCoursesRepo(db).create(course(1));
    const repo = createRegistrationsRepo(db);
    const regs = [];
    for (let i = 0; i < 4; i++) regs.push(await repo.register(input(courseId, 300 + i), now));
    expect(regs.map((r) => r.outcome)).toEqual(["confirmed", "waitlisted", "waitlisted", "waitlisted"]);
    await db.models.course.updateOne({ _id: courseId }, { $set: { capacity: 3 } });
    const ids = regs.map((r) => ("registration" in r && r.registration ? r.registration.id : ""));
    expect(await repo.fillFreeSeats(courseId, now)).toEqual([ids[1], ids[2]]);
    expect(await repo.fillFreeSeats(courseId, now)).toEqual([]);
  });

  it("repairs what a crash between writes leaves behind", async () => {
    const courseId = await createCoursesRepo(db).create(course(2));
    const repo = createRegistrationsRepo(db);
    const old = new Date("2026-01-01T00:00:00Z");
    const base = { courseId, contactId: "terminal:crash", fullName: "An", consentAt: now, status: "pending", statusRank: 0, createdAt: old };
    // A seat was claimed but the status never written; another got nothing at all; a promotion reserved a seat and stopped.
    await db.models.registration.collection.insertOne({ ...base, _id: "r-seat" as never, phone: "+84911000001", accountKey: "r-seat" });
    await db.models.seat.create({ _id: `${courseId}:1`, courseId, seatNo: 1, registrationId: "r-seat", createdAt: old });
    await db.models.registration.collection.insertOne({ ...base, _id: "r-none" as never, phone: "+84911000002", accountKey: "r-none" });
    await db.models.seat.create({ _id: `${courseId}:2`, courseId, seatNo: 2, registrationId: null, createdAt: old });
    const waiting = await repo.register(input(courseId, 700), now);
    expect(waiting.outcome).toBe("waitlisted");
    await db.models.registration.updateMany({ _id: { $in: ["r-seat", "r-none"] } }, { $set: { createdAt: old } }, { timestamps: false });
    await db.models.seat.updateMany({ courseId }, { $set: { createdAt: old } }, { timestamps: false });

    if (waiting.outcome !== "waitlisted") throw new Error("unreachable");
    expect(await repo.repairStale(new Date("2026-01-15T00:00:00Z"), now)).toMatchObject({ repaired: 1, removed: 1, seatsFreed: 1, promoted: [waiting.registration.id] });
    expect((await repo.byId("r-seat"))!.status).toBe("confirmed");
    expect(await repo.byId("r-none")).toBeNull();
    expect((await repo.byId(waiting.registration.id))!.status).toBe("confirmed");
  });
});
