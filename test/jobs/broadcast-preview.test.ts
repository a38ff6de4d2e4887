/**
 * What staff preview is what readers get: `BroadcastService.preview` equals the text the send
 * delivered to a Vietnamese and an English reader; `progress` reports the recipients' states;
 * `channelPreview` splits as the channels do (Telegram 4096, Zalo 2000, Zalo without buttons).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import { telegram } from "../../src/channels/telegram/index.js";
import { zalo } from "../../src/channels/zalo/index.js";
import type { Database } from "../../src/db/database.js";
import { channelPreview } from "../../src/jobs/broadcast-preview.js";
import { openTestDatabase } from "../helpers/db.js";
import { FakeSender } from "./fake-sender.js";

describe("channelPreview", () => {
  it("splits at each channel's limit and says whether it has buttons", () => {
    const text = Array.from({ length: 500 }, (_, i) => `từ${i}`).join(" ").padEnd(3000, ".");
    const t = channelPreview("telegram", text, telegram.capabilities);
    const z = channelPreview("zalo", text, zalo.capabilities);
    expect(t.parts).toHaveLength(1);
    expect(z.parts.length).toBe(2);
    expect(z.parts.every((p) => p.length <= 2000)).toBe(true);
    expect(z.parts.join(" ").replace(/\s+/g, " ")).toBe(text.replace(/\s+/g, " "));
    expect([t.buttons, z.buttons]).toEqual([true, false]);
    expect(channelPreview("zalo", "   ", zalo.capabilities).parts).toEqual([]);
  });
});

describe("BroadcastService.preview and progress", () => {
  let db: Database;
  let staff: StaffModule;
  const sender = new FakeSender({ channel: "telegram", blocked: new Set(["7003"]) });
  beforeAll(async () => {
    db = await openTestDatabase("jobs_broadcast_preview");
    staff = createStaffModule({
      db, staffIds: ["telegram:9000"], senders: new Map([["telegram", sender]]), notifier: { notify: async () => ({ ok: true }) },
      timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24], ratePerSec: { telegram: 30 }, processEveryMs: 100,
    });
    await staff.start();
    await db.models.contact.insertMany([
      { _id: "telegram:7001", channel: "telegram", userId: "7001", locale: "vi", lastSeenAt: new Date() },
      { _id: "telegram:7002", channel: "telegram", userId: "7002", locale: "en", lastSeenAt: new Date() },
      { _id: "telegram:7003", channel: "telegram", userId: "7003", locale: "vi", lastSeenAt: new Date() },
    ]);
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
  });

  it("previews exactly what each reader receives, and reports progress to the end", async () => {
    const text = { vi: "Hội thảo năng suất", en: "Productivity workshop" };
    const created = await staff.broadcasts.create({ text, audience: { kind: "all" }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    const id = created.broadcast._id;
    const deadline = Date.now() + 20_000;
    while ((await staff.broadcasts.get(id))?.status !== "done" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sender.delivered.get("7001")).toEqual([staff.broadcasts.preview(text, "vi")]);
    expect(sender.delivered.get("7002")).toEqual([staff.broadcasts.preview(text, "en")]);
    expect(staff.broadcasts.preview(text, "en")).toMatch(/^Productivity workshop\n\n.*\/unsubscribe/);
    // No English text: English readers get the Vietnamese one, with their own closing line.
    expect(staff.broadcasts.preview({ vi: "Chỉ tiếng Việt" }, "en")).toMatch(/^Chỉ tiếng Việt\n\nDon't want/);
    const progress = await staff.broadcasts.progress(id);
    expect(progress?.broadcast.status).toBe("done");
    expect(progress?.counts).toMatchObject({ claimed: 3, sent: 2, unreachable: 1, failed: 0, inDoubt: 0 });
    expect(await staff.broadcasts.progress("nosuch")).toBeNull();
  });
});
