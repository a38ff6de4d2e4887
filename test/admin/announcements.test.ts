/**
 * Announcements people can stop: every one ends with how to stop them (in the reader's
 * language); /broadcasts names the text, the audience (course title, sector label) and the
 * counts, and offers resend only when something failed or is in doubt.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { broadcastEntry } from "../../src/admin/actions/broadcast-actions.js";
import type { StaffModule } from "../../src/admin/staff-module.js";
import { reportMsgs } from "../../src/jobs/broadcasts.js";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import type { UserRef } from "../../src/engine/messages.js";
import { FakeSender } from "../jobs/fake-sender.js";
import { openTestDatabase } from "../helpers/db.js";
import { renderer, startStaffBot } from "../helpers/staff-bot.js";

const STAFF: UserRef = { channel: "telegram", userId: "9000" };

async function until(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe("announcements", () => {
  let db: Database;
  let staff: StaffModule;
  let say: (text: string) => Promise<string>;
  const sender = new FakeSender({ channel: "telegram", blocked: new Set(["903"]) });

  beforeAll(async () => {
    db = await openTestDatabase("admin_announcements");
    const s = startStaffBot(db, `${STAFF.channel}:${STAFF.userId}`, { senders: new Map([["telegram", sender]]), processEveryMs: 100 });
    staff = s.staff;
    say = (text) => s.say(STAFF, text);
    await staff.start();
    await db.models.contact.insertMany([
      { _id: "telegram:901", channel: "telegram", userId: "901", locale: "vi", lastSeenAt: new Date() },
      { _id: "telegram:902", channel: "telegram", userId: "902", locale: "en", lastSeenAt: new Date() },
    ]);
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });
  const done = (id: string) => until(async () => (await staff.broadcasts.recent(20)).find((b) => b._id === id)?.status === "done", 20_000);

  it("ends every announcement with how to stop them, in the reader's language", async () => {
    const created = await staff.broadcasts.create({ text: { vi: "Hội thảo năng suất ngày 10/12 tại Nha Trang, mời các doanh nghiệp tham dự đông đủ", en: "Productivity workshop" }, audience: { kind: "all" }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    await done(created.broadcast._id);
    expect(sender.delivered.get("901")).toEqual([`Hội thảo năng suất ngày 10/12 tại Nha Trang, mời các doanh nghiệp tham dự đông đủ\n\n${renderer.render({ key: "staff:broadcast.stop_line" }, "vi")}`]);
    expect(sender.delivered.get("902")).toEqual([`Productivity workshop\n\n${renderer.render({ key: "staff:broadcast.stop_line" }, "en")}`]);
    expect(renderer.render({ key: "staff:broadcast.stop_line" }, "vi")).toContain("/unsubscribe");

    // Nothing failed: /broadcasts shows the text's start and the audience, and no resend.
    const list = await say("/broadcasts");
    expect(list).toContain("“Hội thảo năng suất ngày 10/12 tại Nha Trang, mời các doanh…”");
    expect(list).toContain(renderer.render({ key: "staff:broadcast.audience.all" }, "vi"));
    expect(list).not.toContain("/broadcast_resend");
  }, 30_000);

  it("names a course audience by its title and offers resend when someone failed", async () => {
    const courseId = await createCoursesRepo(db).create({
      title: { vi: "Lớp Kaizen" }, description: { vi: "x" }, startAt: new Date("2030-12-20T01:00:00Z"), endAt: new Date("2030-12-20T04:00:00Z"),
      deadline: new Date("2030-12-20T01:00:00Z"), place: "Nha Trang", capacity: 5, audience: ["workers"], status: "open",
    });
    await db.models.contact.insertMany([{ _id: "telegram:903", channel: "telegram", userId: "903", locale: "vi", lastSeenAt: new Date() }]);
    await db.models.registration.create({ courseId, contactId: "telegram:903", fullName: "A", phone: "+84901234567", accountKey: "telegram:903", consentAt: new Date(), status: "confirmed", statusRank: 2, seatNo: 1 });
    const created = await staff.broadcasts.create({ text: { vi: "Đổi phòng học" }, audience: { kind: "course", courseId }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    await done(created.broadcast._id);
    const list = await say("/broadcasts");
    expect(list).toContain("Người nhận: học viên khóa “Lớp Kaizen”");
    expect(list).not.toContain(courseId);
    // 903 blocked the bot: unreachable is not resent; the earlier broadcast still has no resend.
    expect(list.match(/\/broadcast_resend/g) ?? []).toHaveLength(0);
  }, 30_000);

  it("offers resend in /broadcasts and in the report only when something failed or is in doubt", () => {
    const b = { _id: "abc1234", status: "done", sendAt: new Date(), text: { vi: "x" }, audience: { kind: "all" }, recipients: 3 } as unknown as Parameters<typeof broadcastEntry>[0];
    const keys = (counts: object) => broadcastEntry({ ...b, counts: { delivered: 1, failed: 0, unreachable: 1, inDoubt: 0, durationMs: 1, ...counts } } as typeof b, new Map()).map((m) => m.key);
    expect(keys({})).not.toContain("staff:broadcast.resend_hint");
    expect(keys({ failed: 1 })).toContain("staff:broadcast.resend_hint");
    expect(keys({ inDoubt: 2 })).toContain("staff:broadcast.resend_hint");
    expect(reportMsgs("abc1234", { delivered: 2, failed: 0, unreachable: 1, inDoubt: 0, resent: 0, durationMs: 1000 }).map((m) => m.key)).toEqual(["staff:broadcast.report"]);
    expect(reportMsgs("abc1234", { delivered: 2, failed: 1, unreachable: 0, inDoubt: 0, resent: 0, durationMs: 1000 }).map((m) => m.key)).toEqual(["staff:broadcast.report", "staff:broadcast.resend_hint"]);
  });
});
