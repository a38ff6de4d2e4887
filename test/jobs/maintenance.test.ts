import { afterAll, describe, expect, it } from "vitest";
import { createClaimsRepo } from "../../src/db/claims-repo.js";
import { createInboxRepo } from "../../src/db/inbox-repo.js";
import { pruneExpired } from "../../src/db/retention.js";
import { startMaintenance } from "../../src/jobs/maintenance.js";
import { openTestDatabase } from "../helpers/db.js";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe("maintenance", () => {
  it("deletes what each retention rule lets go, keeps what is still needed, and repairs registrations once per pass", async () => {
    const db = await openTestDatabase("maintenance_prune");
    afterAll(() => db.close());
    const now = new Date("2026-11-25T12:00:00Z");
    const ago = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const inbox = createInboxRepo(db);
    // Inbox: handled two days ago (goes), handled just now (stays: de-duplication), never handled (stays: the sweep needs it).
    await inbox.accept("telegram:1", "telegram", { update_id: 1 }, ago(2));
    await inbox.done("telegram:1", ago(2));
    await inbox.accept("telegram:2", "telegram", { update_id: 2 }, now);
    await inbox.done("telegram:2", now);
    await inbox.accept("telegram:3", "telegram", { update_id: 3 }, ago(3));
    const claims = createClaimsRepo(db);
    await claims.claimOnce("update:telegram:9", ago(2)); // the old design's webhook claim
    await claims.claimOnce("report/b1", ago(100));
    await claims.claimOnce("report/b2", ago(10));
    const { course, seat, waitlistEntry, registration, delivery, reminder } = db.models;
    const over = await course.create({ title: { vi: "Cũ" }, description: { vi: "-" }, startAt: ago(200), endAt: ago(199), capacity: 1, deadline: ago(201), audience: [], status: "closed", place: "x" });
    const active = await course.create({ title: { vi: "Mới" }, description: { vi: "-" }, startAt: ago(-5), endAt: ago(-6), capacity: 1, deadline: ago(-4), audience: [], status: "open", place: "x" });
    await seat.create({ _id: `${over._id}:1`, courseId: over._id, seatNo: 1, registrationId: "r-old" });
    await waitlistEntry.create({ _id: `${over._id}:1`, courseId: over._id, position: 1, registrationId: "r-old2" });
    await seat.create({ _id: `${active._id}:1`, courseId: active._id, seatNo: 1, registrationId: "r-new" });
    await registration.create({ courseId: active._id, contactId: "telegram:5", accountKey: "telegram:5", consentAt: now, status: "pending", statusRank: 0 });
    await delivery.create({ _id: "b1/telegram:1", broadcastId: "b1", contact: "telegram:1", status: "sent", claimedAt: ago(100) });
    await delivery.create({ _id: "b2/telegram:1", broadcastId: "b2", contact: "telegram:1", status: "sent", claimedAt: ago(10) });
    await reminder.create({ _id: "r-old/1440", registrationId: "r-old", offsetMinutes: 1440, courseStartsAt: ago(200), status: "sent", claimedAt: ago(201) });
    await reminder.create({ _id: "r-new/1440", registrationId: "r-new", offsetMinutes: 1440, courseStartsAt: ago(-5), status: "claimed", claimedAt: now });
    // Console: a link and a session past their end go, live ones stay; audit records after two years.
    const { consoleLink, consoleSession, staffAudit } = db.models;
    await consoleLink.create({ _id: "old-link", staffKey: "telegram:1", createdAt: ago(1), expiresAt: ago(0.9) });
    await consoleLink.create({ _id: "live-link", staffKey: "telegram:1", createdAt: now, expiresAt: ago(-0.01) });
    await consoleSession.create({ _id: "old-session", staffKey: "telegram:1", locale: "vi", csrf: "x", createdAt: ago(2), expiresAt: ago(1.5), seenAt: ago(2) });
    await consoleSession.create({ _id: "live-session", staffKey: "telegram:1", locale: "vi", csrf: "y", createdAt: now, expiresAt: ago(-0.5), seenAt: now });
    await staffAudit.create({ _id: "a-old", at: ago(800), by: "telegram:1", via: "console", action: "signin" });
    await staffAudit.create({ _id: "a-new", at: ago(300), by: "telegram:1", via: "console", action: "signin" });
    // Announcement stops: read by running broadcasts, kept a day.
    await db.models.optOut.create({ _id: "telegram:1|old", contact: "telegram:1", at: ago(1.5) });
    await db.models.optOut.create({ _id: "telegram:1|new", contact: "telegram:1", at: ago(0.5) });
    const jobs = db.connection.db!.collection("agendaJobs");
    await jobs.insertMany([
      { name: "broadcast", nextRunAt: null, lastFinishedAt: ago(8) },
      { name: "broadcast", nextRunAt: null, lastFinishedAt: ago(1) },
      { name: "broadcast", nextRunAt: ago(-1), lastFinishedAt: ago(30) },
    ]);

    const repairs: Date[] = [];
    const maintenance = startMaintenance({
      repairRegistrations: async (olderThan) => (repairs.push(olderThan), { repaired: 0, promoted: [] }),
      pruneExpired: (at) => pruneExpired(db, at),
      pruneSessions: async () => ({ folded: 0, deleted: 0 }),
      now: () => now,
      logger: quiet,
      everyMs: 3_600_000,
    });
    await maintenance.stop();

    const ids = async (model: { find(): { lean(): Promise<{ _id: unknown }[]> } }) => (await model.find().lean()).map((d) => String(d._id)).sort();
    expect(await ids(db.models.inbox)).toEqual(["telegram:2", "telegram:3"]);
    expect(await ids(db.models.claim)).toEqual(["report/b2"]);
    expect(await ids(seat)).toEqual([`${active._id}:1`]);
    expect(await waitlistEntry.countDocuments()).toBe(0);
    expect(await registration.countDocuments({ status: "pending" })).toBe(1);
    expect(await ids(delivery)).toEqual(["b2/telegram:1"]);
    expect(await ids(reminder)).toEqual(["r-new/1440"]);
    expect(await jobs.countDocuments()).toBe(2);
    expect(await ids(consoleLink)).toEqual(["live-link"]);
    expect(await ids(consoleSession)).toEqual(["live-session"]);
    expect(await ids(staffAudit)).toEqual(["a-new"]);
    expect(await ids(db.models.optOut)).toEqual(["telegram:1|new"]);
    expect(repairs).toEqual([new Date(now.getTime() - 10 * 60_000)]);
    // A pruned update can be stored again; a kept one cannot.
    expect(await inbox.accept("telegram:1", "telegram", {}, now)).toBe("new");
    expect(await inbox.accept("telegram:2", "telegram", {}, now)).toBe("duplicate");
  });

  it("logs a failed pass and keeps going", async () => {
    const warnings: string[] = [];
    const maintenance = startMaintenance({
      repairRegistrations: async () => {
        throw Object.assign(new Error("down"), { name: "MongoNetworkError" });
      },
      pruneExpired: async () => ({}),
      pruneSessions: async () => ({ folded: 0, deleted: 0 }),
      now: () => new Date(),
      logger: { ...quiet, warn: (_o: object, msg: string) => void warnings.push(msg) },
    });
    await maintenance.stop();
    expect(warnings).toEqual(["maintenance pass failed; will retry"]);
  });
});
