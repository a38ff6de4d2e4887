/**
 * Course changes with the real registration service: confirmed registrations get reminders (the
 * hooks), a new time tells every registrant in their language and moves the reminders, a
 * cancellation tells them and removes the reminders; the export lists the registrations.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import type { Msg, UserRef } from "../../src/engine/messages.js";
import { REMINDER_JOB, type ReminderJobData } from "../../src/jobs/reminders.js";
import { openTestDatabase } from "../helpers/db.js";

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe("course changes", () => {
  let db: Database;
  let staff: StaffModule;
  const notices: Array<{ user: UserRef; msgs: Msg[] }> = [];
  beforeAll(async () => {
    db = await openTestDatabase("admin_course_changes");
    staff = createStaffModule({
      db,
      staffIds: [],
      senders: new Map(),
      notifier: { notify: async (user, msgs) => (notices.push({ user, msgs }), { ok: true }) },
      timeZone: "Asia/Ho_Chi_Minh",
      reminderOffsetsHours: [24, 2],
      ratePerSec: { telegram: 30, zalo: 10 },
      processEveryMs: 100,
    });
    await staff.start();
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });

  it("schedules reminders on confirmation, moves them and notifies on a new time, removes them on cancellation", async () => {
    const start = new Date(Date.now() + 3 * 86_400_000);
    const fmt = (d: Date) => d.toISOString();
    const created = await staff.courses.create({ title_vi: "Lớp ISO 9001", title_en: "ISO 9001 course", start: fmt(start), end: fmt(new Date(start.getTime() + 3 * 3_600_000)), place: "Nha Trang", capacity: "1" });
    if (!created.ok) throw new Error(JSON.stringify(created.problems));
    const registration = createRegistrationService({ db, hooks: staff.reminderHooks });
    const now = new Date();
    const first = await registration.register({ courseId: created.id, contactId: "telegram:11", fullName: "Nguyễn Văn A", phone: "+84901234567", enterprise: null, jobTitle: null, consentAt: now }, now);
    const second = await registration.register({ courseId: created.id, contactId: "zalo:22", fullName: "Trần Thị B", phone: "+84901234568", enterprise: null, jobTitle: null, consentAt: now }, now);
    expect(first.outcome).toBe("confirmed");
    expect(second.outcome).toBe("waitlisted");
    const pending = () => staff.queue.pending<ReminderJobData>(REMINDER_JOB, { courseId: created.id });
    expect((await pending()).map((p) => p.data.offsetMinutes).sort()).toEqual([120, 1440]);

    const moved = new Date(start.getTime() + 86_400_000);
    expect(await staff.courses.edit(created.id, { start: fmt(moved), end: fmt(new Date(moved.getTime() + 3_600_000)) })).toMatchObject({ ok: true, moved: true });
    await until(() => notices.length >= 2, 10_000);
    expect(notices.map((n) => `${n.user.channel}:${n.user.userId}`).sort()).toEqual(["telegram:11", "zalo:22"]);
    expect(notices[0]!.msgs[0]).toMatchObject({ key: "staff:notices.course_rescheduled", params: { titleVi: "Lớp ISO 9001", titleEn: "ISO 9001 course", start: moved, end: new Date(moved.getTime() + 3_600_000) } });
    await until(() => false, 300);
    expect((await pending()).map((p) => p.data.startsAtMs)).toEqual([moved.getTime(), moved.getTime()]);

    // The waitlisted person is promoted when the first cancels: reminders follow the seat.
    if (first.outcome !== "confirmed") throw new Error();
    await registration.cancel(first.registration.id, new Date());
    const after = await pending();
    expect(after.every((p) => p.data.registrationId !== first.registration.id)).toBe(true);
    expect(after).toHaveLength(2);

    notices.length = 0;
    expect(await staff.courses.cancel(created.id)).toEqual({ ok: true });
    await until(() => notices.length >= 1, 10_000);
    await until(() => false, 300);
    expect(notices.map((n) => n.msgs[0]!.key)).toEqual(["staff:notices.course_cancelled"]);
    expect(notices[0]!.user).toEqual({ channel: "zalo", userId: "22" });
    expect(await pending()).toHaveLength(0);

    const csv = (await staff.courses.exportRegistrations(created.id, { locale: "vi", format: "csv" }))!.content.toString("utf8");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain("Nguyễn Văn A");
    expect(csv).toContain("Trần Thị B");
  }, 40_000);
});
