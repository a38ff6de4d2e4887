/** The overview's figures, read from a real database: tallies by sector and size, sign-ups per day in the office's zone, announcement totals. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { createStatsRepo, perDay } from "../../src/db/stats-repo.js";
import { openTestDatabase } from "../helpers/db.js";

const TZ = "Asia/Ho_Chi_Minh";

describe("perDay", () => {
  it("counts per day in the office's zone, oldest first, empty days included, older and later dates left out", () => {
    const now = new Date("2030-06-10T05:00:00Z"); // 12:00 in Vietnam
    const dates = [
      new Date("2030-06-09T17:30:00Z"), // 00:30 on the 10th in Vietnam (still the 9th in UTC)
      new Date("2030-06-10T01:00:00Z"),
      new Date("2030-06-08T03:00:00Z"),
      new Date("2030-06-07T16:59:00Z"), // 23:59 on the 7th: outside 3 days
      new Date("2030-06-11T03:00:00Z"), // tomorrow: outside
    ];
    expect(perDay(dates, now, 3, TZ)).toEqual([
      { day: "2030-06-08", count: 1 },
      { day: "2030-06-09", count: 0 },
      { day: "2030-06-10", count: 2 },
    ]);
  });
});

describe("stats repository", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase("db_stats_repo");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("tallies enterprises by sector and size, sign-ups per day, finished announcements' outcomes", async () => {
    const stats = createStatsRepo(db);
    expect(await stats.enterpriseBreakdown()).toEqual({ total: 0, bySector: {}, bySize: {} });
    const now = new Date("2030-06-10T05:00:00Z");
    await db.models.enterprise.insertMany([
      { _id: "4200000001", taxCode: "4200000001", name: "A", sector: "handicrafts", size: "small", address: "x", createdAt: new Date("2030-06-10T01:00:00Z") },
      { _id: "4200000002", taxCode: "4200000002", name: "B", sector: "handicrafts", size: "micro", address: "x", createdAt: new Date("2030-05-01T01:00:00Z") },
      { _id: "4200000003", taxCode: "4200000003", name: "C", sector: "other", size: "small", address: "x", createdAt: new Date("2030-06-09T17:30:00Z") },
    ]);
    await db.models.registration.insertMany([
      { courseId: "c", contactId: "telegram:1", accountKey: "telegram:1", consentAt: now, createdAt: new Date("2030-06-09T03:00:00Z"), status: "confirmed", statusRank: 2 },
      { courseId: "c", contactId: "telegram:2", accountKey: "cancelled:x", consentAt: now, createdAt: new Date("2030-06-09T04:00:00Z"), status: "cancelled", statusRank: 3 },
    ]);
    expect(await stats.enterpriseBreakdown()).toEqual({ total: 3, bySector: { handicrafts: 2, other: 1 }, bySize: { small: 2, micro: 1 } });
    expect(await stats.signupsPerDay(now, 2, TZ)).toEqual([
      { day: "2030-06-09", registrations: 2, enterprises: 0 },
      { day: "2030-06-10", registrations: 0, enterprises: 2 },
    ]);

    const base = { text: { vi: "x" }, audience: { kind: "all" }, createdBy: "cli", createdAt: now, sendAt: now };
    await db.models.broadcast.insertMany([
      { ...base, _id: "b1", status: "done", recipients: 10, counts: { delivered: 7, failed: 1, unreachable: 1, inDoubt: 1, resent: 0, durationMs: 1 } },
      { ...base, _id: "b2", status: "done", recipients: 2, counts: { delivered: 2, failed: 0, unreachable: 0, inDoubt: 0, resent: 0, durationMs: 1 } },
      { ...base, _id: "b3", status: "scheduled" },
      { ...base, _id: "b4", status: "cancelled" },
      { ...base, _id: "b5", status: "sending", recipients: 100 },
    ]);
    expect(await stats.broadcastTotals()).toEqual({ finished: 2, scheduled: 1, recipients: 12, delivered: 9, failed: 1, unreachable: 1, inDoubt: 1 });
  });
});
