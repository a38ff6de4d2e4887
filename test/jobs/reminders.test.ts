import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import type { ReminderCourse, ReminderRegistration, ReminderSource } from "../../src/db/reminder-source.js";
import { createRemindersRepo } from "../../src/db/reminders-repo.js";
import type { Msg, Notifier, UserRef } from "../../src/engine/messages.js";
import { systemClock } from "../../src/shared/clock.js";
import { createJobQueue, type JobQueue } from "../../src/jobs/job-queue.js";
import { createReminderService, REMINDER_JOB, type ReminderJobData } from "../../src/jobs/reminders.js";
import { openTestDatabase } from "../helpers/db.js";

/** Registrations and courses in memory: the reminder logic is under test, not the registration repos. */
function memorySource() {
  const courses = new Map<string, ReminderCourse>();
  const regs = new Map<string, ReminderRegistration>();
  const source: ReminderSource = {
    registration: async (id) => regs.get(id) ?? null,
    course: async (id) => courses.get(id) ?? null,
    confirmedOf: async (courseId) => [...regs.values()].filter((r) => r.courseId === courseId && r.status === "confirmed"),
    activeOf: async (courseId) => [...regs.values()].filter((r) => r.courseId === courseId && r.status !== "cancelled"),
  };
  return { source, courses, regs };
}

function recordingNotifier() {
  const sent: Array<{ at: number; user: UserRef; msgs: Msg[] }> = [];
  const notifier: Notifier = { notify: async (user, msgs) => (sent.push({ at: Date.now(), user, msgs }), { ok: true }) };
  return { sent, notifier };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

const SEC = 1 / 60; // offsets are minutes
const course = (id: string, startAt: Date): ReminderCourse => ({ id, title: { vi: "Lớp 5S", en: "5S course" }, startAt, endAt: new Date(startAt.getTime() + 3_600_000), status: "open", place: "Nha Trang", onlineUrl: null });

describe("reminders", () => {
  let db: Database;
  const queues: JobQueue[] = [];
  beforeAll(async () => {
    db = await openTestDatabase("jobs_reminders");
  });
  afterEach(async () => {
    while (queues.length) await queues.pop()!.stop();
    await db.connection.db!.collection("agendaJobs").deleteMany({});
  });
  afterAll(async () => {
    await db?.close();
  });

  function setup(offsets: number[]) {
    const mem = memorySource();
    const rec = recordingNotifier();
    const queue = createJobQueue(db, { processEveryMs: 100 });
    queues.push(queue);
    const service = createReminderService({ queue, source: mem.source, repo: createRemindersRepo(db), notifier: rec.notifier, clock: systemClock, offsetsMinutes: offsets, retryDelayMs: 10 });
    service.register();
    return { ...mem, ...rec, queue, service };
  }

  it("fires each reminder once, not before its time, even with two processes polling the same jobs", async () => {
    const a = setup([3 * SEC, 1.5 * SEC]);
    const b = setup([3 * SEC, 1.5 * SEC]); // a second bot process on the same database
    const start = new Date(Date.now() + 4_500);
    for (const s of [a, b]) {
      s.courses.set("c1", course("c1", start));
      s.regs.set("r1", { id: "r1", contactId: "telegram:42", courseId: "c1", status: "confirmed" });
    }
    await a.service.hooks.onConfirmed(a.regs.get("r1")!);
    await Promise.all([a.queue.start(), b.queue.start()]);
    await until(() => a.sent.length + b.sent.length >= 2, 8_000);
    await until(() => Date.now() > start.getTime() + 300, 8_000);
    const all = [...a.sent, ...b.sent].sort((x, y) => x.at - y.at);
    expect(all).toHaveLength(2);
    expect(all[0]!.at).toBeGreaterThanOrEqual(start.getTime() - 3_000);
    expect(all[1]!.at).toBeGreaterThanOrEqual(start.getTime() - 1_500);
    expect(all[0]!.user).toEqual({ channel: "telegram", userId: "42" });
    expect(all[0]!.msgs[0]).toMatchObject({ key: "staff:notices.reminder", params: { titleVi: "Lớp 5S", titleEn: "5S course", start } });
    // Running a job again (agenda's lock is not atomic on FerretDB) sends nothing.
    const again: ReminderJobData = { registrationId: "r1", courseId: "c1", offsetMinutes: 1.5 * SEC, startsAtMs: start.getTime() };
    await a.service.send(again).then((r) => expect(r).toBe("skipped"));
  }, 30_000);

  it("sends nothing after the registration is cancelled", async () => {
    const s = setup([2 * SEC, 1 * SEC]);
    const start = new Date(Date.now() + 3_000);
    s.courses.set("c2", course("c2", start));
    s.regs.set("r2", { id: "r2", contactId: "zalo:z", courseId: "c2", status: "confirmed" });
    await s.service.hooks.onConfirmed(s.regs.get("r2")!);
    expect(await s.queue.pending(REMINDER_JOB, { registrationId: "r2" })).toHaveLength(2);
    s.regs.set("r2", { ...s.regs.get("r2")!, status: "cancelled" });
    await s.service.hooks.onCancelled(s.regs.get("r2")!);
    expect(await s.queue.pending(REMINDER_JOB, { registrationId: "r2" })).toHaveLength(0);
    await s.queue.start();
    await until(() => Date.now() > start.getTime() + 300, 8_000);
    expect(s.sent).toHaveLength(0);
  }, 30_000);

  it("moves reminders when the course time changes", async () => {
    const s = setup([2 * SEC]);
    const first = new Date(Date.now() + 2_500);
    s.courses.set("c3", course("c3", first));
    s.regs.set("r3", { id: "r3", contactId: "telegram:7", courseId: "c3", status: "confirmed" });
    await s.service.hooks.onConfirmed(s.regs.get("r3")!);
    const moved = new Date(first.getTime() + 2_500);
    s.courses.set("c3", course("c3", moved));
    expect(await s.service.courseMoved("c3")).toBe(1);
    const pending = await s.queue.pending<ReminderJobData>(REMINDER_JOB, { registrationId: "r3" });
    expect(pending.map((p) => p.data.startsAtMs)).toEqual([moved.getTime()]);
    await s.queue.start();
    await until(() => s.sent.length >= 1, 8_000);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0]!.at).toBeGreaterThanOrEqual(moved.getTime() - 2_000);
    expect(s.sent[0]!.msgs[0]!.params!.start).toEqual(moved);
  }, 30_000);

  it("after downtime sends only the latest missed reminder if the course has not begun, and none once it has", async () => {
    const s = setup([24 * 60, 2 * 60]);
    const soon = new Date(Date.now() + 60 * 60_000); // starts in 1 h: both reminder times passed while "down"
    const begun = new Date(Date.now() - 60_000);
    s.courses.set("c4", course("c4", soon));
    s.courses.set("c5", course("c5", begun));
    s.regs.set("r4", { id: "r4", contactId: "telegram:4", courseId: "c4", status: "confirmed" });
    s.regs.set("r5", { id: "r5", contactId: "telegram:5", courseId: "c5", status: "confirmed" });
    // The jobs as they were scheduled before the downtime.
    for (const [reg, c] of [["r4", soon], ["r5", begun]] as const) {
      for (const offsetMinutes of [24 * 60, 2 * 60]) {
        await s.queue.schedule(REMINDER_JOB, new Date(c.getTime() - offsetMinutes * 60_000), { registrationId: reg, courseId: reg === "r4" ? "c4" : "c5", offsetMinutes, startsAtMs: c.getTime() });
      }
    }
    await s.queue.start();
    await until(() => s.sent.length >= 1, 8_000);
    // Give the other three overdue jobs time to run (they must all be skipped).
    await new Promise((r) => setTimeout(r, 800));
    expect(s.sent.map((x) => x.user.userId)).toEqual(["4"]);
    expect(s.sent[0]!.msgs[0]!.params!.hours).toBe(2);
  }, 30_000);

  it("schedules nothing for reminder times already past at registration", async () => {
    const s = setup([24 * 60, 2 * 60]);
    s.courses.set("c6", course("c6", new Date(Date.now() + 3 * 60 * 60_000)));
    expect(await s.service.scheduleFor({ id: "r6", courseId: "c6" }, s.courses.get("c6")!)).toBe(1);
  });
});
