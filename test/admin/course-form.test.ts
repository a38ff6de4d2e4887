/**
 * /newcourse checks each answer as it is typed: a date that does not exist is refused at once
 * with the reason and the question again; an end before the start is refused at the end; "No"
 * at the summary asks which field, and a correction keeps everything else typed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import type { UserRef } from "../../src/engine/messages.js";
import { openTestDatabase } from "../helpers/db.js";
import { renderer, startStaffBot } from "../helpers/staff-bot.js";
import type { I18nKey } from "../../src/engine/messages.js";

const STAFF: UserRef = { channel: "zalo", userId: "staff-9" };
const t = (key: I18nKey, params?: Record<string, string | number>) => renderer.render({ key, ...(params ? { params } : {}) }, "vi");

/** A staff chat on its own database for the tests of one describe block. */
function useStaffChat(dbName: string): { say: (text: string) => Promise<string>; staff: () => StaffModule } {
  let db: Database;
  let staff: StaffModule;
  let chat: ReturnType<typeof startStaffBot>;
  beforeAll(async () => {
    db = await openTestDatabase(dbName);
    chat = startStaffBot(db, `${STAFF.channel}:${STAFF.userId}`);
    staff = chat.staff;
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });
  return { say: (text) => chat.say(STAFF, text), staff: () => staff };
}

describe("course form", () => {
  const { say, staff } = useStaffChat("admin_course_form");

  it("refuses 25/13/2026 at once with the reason and asks again; corrects in place; No → which field", async () => {
    await say("/newcourse");
    await say("Quản lý 5S");
    await say("Bỏ qua");
    await say("Bỏ qua");
    const refused = await say("25/13/2030 08:00");
    expect(refused).toContain(t("staff:course.errors.month", { month: 13 }));
    expect(refused).toContain(t("staff:course.ask.start"));
    expect(await say("31/11/2030 08:00")).toContain(t("staff:course.errors.day", { day: 31, month: 11, days: 30 }));
    expect(await say("01/01/2020 08:00")).toContain(t("staff:course.errors.past"));
    expect(await say("25/12/2030 08:00")).toContain(t("staff:course.ask.end"));
    const early = await say("25/12/2030 07:00");
    expect(early).toContain(t("staff:course.errors.end_before_start"));
    expect(early).toContain(t("staff:course.ask.end"));
    expect(await say("25/12/2030 11:30")).toContain(t("staff:course.ask.place"));
    await say("https://meet.example.vn/kaizen");
    expect(await say("không biết")).toContain(t("staff:course.errors.capacity"));
    await say("40 chỗ");
    await say("Bỏ qua");
    const audience = await say("1");
    expect(audience).toContain("✅");
    const summary = await say("Xong");
    expect(summary).toContain("Quản lý 5S");
    expect(summary).toContain("25/12/2030 08:00");
    expect(summary).toContain("25/12/2030 11:30");
    expect(summary).toContain("40");
    expect(summary).toContain(t("staff:course.audience.workers"));

    expect(await say("Không")).toContain(t("staff:course.which_field"));
    expect(await say(t("staff:course.field.capacity"))).toContain(t("staff:course.ask.capacity"));
    const again = await say("30");
    expect(again).toContain("30");
    expect(again).toContain("Quản lý 5S");
    expect(again).toContain("25/12/2030 11:30");
    expect(again).not.toContain(": 40");

    // Moving the start after the end at the summary: the end is asked again, the rest kept.
    await say("Không");
    await say(t("staff:course.field.start"));
    const ask = await say("26/12/2030 08:00");
    expect(ask).toContain(t("staff:course.errors.end_before_start"));
    expect(ask).toContain(t("staff:course.ask.end"));
    const fixed = await say("26/12/2030 11:00");
    expect(fixed).toContain("26/12/2030 08:00");
    expect(fixed).toContain("30");

    const created = await say("Có");
    const id = /[0-9a-f]{24}/.exec(created)?.[0];
    expect(id, created).toBeDefined();
    const course = (await staff().courses.list(10)).find((c) => c.id === id)!;
    expect(course).toMatchObject({ capacity: 30, place: null, onlineUrl: "https://meet.example.vn/kaizen", audience: ["workers"] });
    expect(course.startAt.toISOString()).toBe("2030-12-26T01:00:00.000Z");
    expect(course.endAt.toISOString()).toBe("2030-12-26T04:00:00.000Z");
  }, 60_000);
});

describe("broadcast form", () => {
  const { say, staff } = useStaffChat("admin_broadcast_form");

  it("refuses an impossible time at once, keeps line breaks, and No → which part, keeping the rest", async () => {
    await say("/broadcast");
    await say("Hội thảo năng suất\nngày 10/12");
    await say("Bỏ qua");
    await say("1"); // everyone
    await say("2"); // schedule
    const refused = await say("32/12/2030 08:00");
    expect(refused).toContain(t("staff:course.errors.day", { day: 32, month: 12, days: 31 }));
    expect(refused).toContain(t("staff:broadcast.ask_time"));
    const preview = await say("10/12/2030 08:00");
    expect(preview).toContain("Hội thảo năng suất\nngày 10/12");
    expect(preview).toContain(t("staff:broadcast.confirm"));
    expect(await say("Không")).toContain(t("staff:broadcast.field.text_en"));
    await say(t("staff:broadcast.field.text_en"));
    const again = await say("Productivity workshop");
    expect(again).toContain("Productivity workshop");
    expect(again).toContain("Hội thảo năng suất");
    // The time chosen is kept through the correction.
    expect(again).toContain(renderer.render({ key: "staff:broadcast.preview.at", params: { count: 1, at: new Date("2030-12-10T01:00:00Z") } }, "vi"));
    // Changing to "now" forgets the old time.
    await say("Không");
    await say(t("staff:broadcast.field.when"));
    expect(await say("1")).toContain(renderer.render({ key: "staff:broadcast.preview.now", params: { count: 1 } }, "vi"));
    await say("Không");
    expect(await say(t("staff:broadcast.field.drop"))).toContain(t("staff:broadcast.dropped"));
    expect(await staff().broadcasts.recent(5)).toHaveLength(0);
  }, 60_000);
});
