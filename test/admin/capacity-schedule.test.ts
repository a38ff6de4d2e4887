/**
 * Capacity and schedule changes done right, with the real staff module, agenda jobs and
 * registration claims: more seats promote the waiting at once (each told, reminders scheduled);
 * fewer seats than people seated needs a confirmation and un-seats nobody; one reschedule moves
 * start and end together with one notice each (new start and end) and moves the reminders; a
 * closed course reopens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationService, type RegistrationService } from "../../src/actions/registration-service.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import type { Msg, UserRef } from "../../src/engine/messages.js";
import { REMINDER_JOB, type ReminderJobData } from "../../src/jobs/reminders.js";
import { openTestDatabase } from "../helpers/db.js";

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe("capacity and schedule", () => {
  let db: Database;
  let staff: StaffModule;
  let registration: RegistrationService;
  const notices: Array<{ user: UserRef; msgs: Msg[] }> = [];
  const start = new Date(Date.now() + 5 * 86_400_000);
  const iso = (d: Date) => d.toISOString();
  let n = 0;
  const person = (courseId: string, who: string) => registration.register({ courseId, contactId: who, fullName: "Người học", phone: `+8490${String(1_000_000 + ++n).slice(-7)}`, enterprise: null, jobTitle: null, consentAt: new Date() }, new Date());
  const course = async (capacity: number) => {
    const c = await staff.courses.create({ title_vi: "Lớp Kaizen", title_en: "Kaizen course", start: iso(start), end: iso(new Date(start.getTime() + 3 * 3_600_000)), place: "Nha Trang", capacity: String(capacity) });
    if (!c.ok) throw new Error("course");
    return c.id;
  };
  const stats = async (id: string) => (await staff.courses.list(100)).find((c) => c.id === id)!;
  const reminders = (courseId: string) => staff.queue.pending<ReminderJobData>(REMINDER_JOB, { courseId });

  beforeAll(async () => {
    db = await openTestDatabase("admin_capacity_schedule");
    staff = createStaffModule({
      db, staffIds: [], senders: new Map(), timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24], ratePerSec: { telegram: 30, zalo: 10 }, processEveryMs: 100,
      notifier: { notify: async (user, msgs) => (notices.push({ user, msgs }), { ok: true }) },
    });
    registration = createRegistrationService({ db, hooks: staff.reminderHooks });
    await staff.start();
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });

  it("raising capacity promotes the waiting at once, tells each, schedules their reminders", async () => {
    const id = await course(1);
    expect((await person(id, "telegram:1")).outcome).toBe("confirmed");
    expect((await person(id, "zalo:2")).outcome).toBe("waitlisted");
    expect((await person(id, "zalo:3")).outcome).toBe("waitlisted");
    expect(await reminders(id)).toHaveLength(1);
    notices.length = 0;
    expect(await staff.courses.edit(id, { capacity: "2" })).toMatchObject({ ok: true, raised: true });
    await until(async () => (await stats(id)).confirmed === 2, 10_000);
    expect(await stats(id)).toMatchObject({ confirmed: 2, waitlisted: 1 });
    await until(() => notices.length >= 1, 5_000);
    // The first in line, and only them, is told; the third still waits.
    expect(notices.map((x) => [`${x.user.channel}:${x.user.userId}`, x.msgs[0]!.key])).toEqual([["zalo:2", "courses:promoted.notice"]]);
    expect((await reminders(id)).map((r) => r.data.registrationId)).toHaveLength(2);
    // The next newcomer does not jump the line.
    expect((await person(id, "zalo:4")).outcome).toBe("waitlisted");
  }, 30_000);

  it("lowering capacity below the seated asks first and never un-seats anyone", async () => {
    const id = await course(3);
    for (const who of ["telegram:11", "telegram:12", "telegram:13"]) expect((await person(id, who)).outcome).toBe("confirmed");
    const refused = await staff.courses.edit(id, { capacity: "1" });
    expect(refused).toEqual({ ok: false, reason: "staff:course.errors.below_confirmed", confirmLower: { held: 3, capacity: 1 } });
    expect((await stats(id)).capacity).toBe(3);
    expect(await staff.courses.edit(id, { capacity: "1" }, { confirmLower: true })).toMatchObject({ ok: true });
    expect(await stats(id)).toMatchObject({ capacity: 1, confirmed: 3 });
    const listed = await staff.actions.staff_course_list!({ user: { channel: "telegram", userId: "1" }, locale: "en", data: {}, vars: {}, now: new Date(), isStaff: true });
    expect(listed.say).toContainEqual({ key: "staff:course.over_capacity", params: { over: 2 } });
    const waiting = await person(id, "zalo:14");
    expect(waiting.outcome).toBe("waitlisted");
    // The holder of seat 1 leaves: two still hold seats (2 and 3) for one place, so nobody is promoted.
    const regs = (await registration.repo.listForCourse(id)).filter((r) => r.status === "confirmed").sort((a, b) => a.seatNo! - b.seatNo!);
    expect(regs.map((r) => r.seatNo)).toEqual([1, 2, 3]);
    await registration.cancel(regs[0]!.id, new Date());
    expect(await stats(id)).toMatchObject({ confirmed: 2, waitlisted: 1 });
    await registration.cancel(regs[1]!.id, new Date());
    await registration.cancel(regs[2]!.id, new Date());
    expect(await stats(id)).toMatchObject({ confirmed: 1, waitlisted: 0 });
  }, 30_000);

  it("a reschedule moves start and end together, sends one accurate notice each, moves reminders", async () => {
    const id = await course(1);
    await person(id, "telegram:21");
    await person(id, "zalo:22");
    await until(async () => (await reminders(id)).length === 1, 5_000);
    notices.length = 0;
    const later = new Date(start.getTime() + 2 * 86_400_000);
    // Only the start: the end follows (3 hours), no "end must be after the start" refusal.
    expect(await staff.courses.edit(id, { start: iso(later) })).toMatchObject({ ok: true, moved: true });
    await until(() => notices.length >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(notices).toHaveLength(2);
    for (const x of notices) expect(x.msgs).toEqual([{ key: "staff:notices.course_rescheduled", params: expect.objectContaining({ start: later, end: new Date(later.getTime() + 3 * 3_600_000) }) }]);
    expect((await stats(id)).endAt.getTime()).toBe(later.getTime() + 3 * 3_600_000);
    expect((await reminders(id)).map((r) => r.data.startsAtMs)).toEqual([later.getTime()]);
  }, 30_000);

  it("a closed course can be reopened; a cancelled one cannot", async () => {
    const id = await course(5);
    await staff.courses.close(id);
    expect((await stats(id)).status).toBe("closed");
    expect(await staff.courses.reopen(id)).toEqual({ ok: true });
    expect((await stats(id)).status).toBe("open");
    expect((await person(id, "telegram:31")).outcome).toBe("confirmed");
    await staff.courses.cancel(id);
    expect(await staff.courses.reopen(id)).toEqual({ ok: false, reason: "staff:course.errors.already_cancelled" });
  }, 30_000);
});
