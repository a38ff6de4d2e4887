/**
 * The announcements page over HTTP against the real app and database: bad input refused in
 * place (422, the typed text kept, nothing created), the live count is the service's, the
 * preview is what readers get (closing line, split at each channel's limit), every change audited.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import { createSubscriptionRepo } from "../../src/db/subscription-repo.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { consoleClient, csrfOf, signIn, startConsoleApp, type ConsoleApp } from "./console-app.js";
import { resolve } from "node:path";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const vi = (key: string, params?: Record<string, string | number>) => renderer.render({ key: key as never, ...(params ? { params } : {}) }, "vi");
const unescape = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
const wallTime = (d: Date) => DateTime.fromJSDate(d, { zone: "Asia/Ho_Chi_Minh" }).toFormat("yyyy-MM-dd'T'HH:mm");

describe("console announcements over HTTP", () => {
  let c: ConsoleApp;
  let client: ReturnType<typeof consoleClient>;
  let csrf: string;
  // The same broadcast service the app builds, over the same database (not started: reads only).
  let staff: StaffModule;
  const broadcasts = () => c.db.models.broadcast.countDocuments({});

  beforeAll(async () => {
    c = await startConsoleApp("console_announcements");
    client = consoleClient(c.base);
    csrf = csrfOf(await signIn(c, client));
    // Four people who talked to the bot and said yes to announcements (one reads English), one who said no.
    const keys = ["telegram:5001", "telegram:5002", "zalo:z1", "telegram:5003", "telegram:5004"];
    await c.db.models.contact.insertMany(keys.map((k, i) => ({ _id: k, channel: k.split(":")[0], userId: k.split(":")[1], locale: i === 3 ? "en" : "vi", lastSeenAt: new Date() })));
    const subscriptions = createSubscriptionRepo(c.db);
    for (const k of keys.slice(0, 4)) await subscriptions.set(k, true);
    await subscriptions.set("telegram:5004", false);
    staff = createStaffModule({ db: c.db, staffIds: [], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24], ratePerSec: {} });
  }, 90_000);
  afterAll(async () => {
    await c?.stop();
  });

  const form = (extra: Record<string, string>) => ({ _csrf: csrf, text_vi: "Hội thảo năng suất 10/12", text_en: "", audience_kind: "all", sector: "", course_id: "", when: "now", send_at: "", ...extra });

  it("lists nothing yet and offers the compose form", async () => {
    const list = await client.get("/console/announcements");
    expect(list.status).toBe(200);
    expect(unescape(list.text)).toContain(vi("console-announcements:empty"));
    const compose = await client.get("/console/announcements/new");
    expect(compose.status).toBe(200);
    expect(compose.text).toContain('type="datetime-local"');
    expect(compose.text).toContain('hx-get="/console/announcements/count"');
  });

  it("refuses an empty text in place: 422, the message, nothing created", async () => {
    const res = await client.post("/console/announcements", form({ text_vi: "   ", text_en: "English kept" }));
    expect(res.status).toBe(422);
    expect(unescape(res.text)).toContain(vi("staff:broadcast.errors.text"));
    expect(res.text).toContain("English kept");
    expect(await broadcasts()).toBe(0);
  });

  it("refuses a schedule time that has passed, or none, in place; nothing created", async () => {
    const past = wallTime(new Date(Date.now() - 3_600_000));
    const res = await client.post("/console/announcements", form({ when: "later", send_at: past, text_vi: "Giữ nguyên nội dung" }));
    expect(res.status).toBe(422);
    const html = unescape(res.text);
    expect(html).toContain(vi("console-announcements:errors.send_at_past"));
    expect(html).toContain("Giữ nguyên nội dung");
    expect(html).toContain(`value="${past}"`);
    const none = await client.post("/console/announcements", form({ when: "later", send_at: "" }));
    expect(none.status).toBe(422);
    expect(unescape(none.text)).toContain(vi("console-announcements:errors.send_at_missing"));
    const junk = await client.post("/console/announcements", form({ when: "later", send_at: "2030-13-45T99:00" }));
    expect(junk.status).toBe(422);
    expect(unescape(junk.text)).toContain(vi("console-announcements:errors.send_at_invalid"));
    const noCourse = await client.post("/console/announcements", form({ audience_kind: "course" }));
    expect(noCourse.status).toBe(422);
    expect(unescape(noCourse.text)).toContain(vi("console-announcements:errors.course_missing"));
    expect(await broadcasts()).toBe(0);
  });

  it("refuses a change without the CSRF token (403), nothing created", async () => {
    const res = await client.post("/console/announcements", { ...form({}), _csrf: "" });
    expect(res.status).toBe(403);
    expect(await broadcasts()).toBe(0);
  });

  it("counts recipients as the service does, for each audience", async () => {
    const service = staff.broadcasts;
    for (const [query, audience] of [
      ["audience_kind=all", { kind: "all" }],
      ["audience_kind=lang_en", { kind: "language", locale: "en" }],
      ["audience_kind=lang_vi", { kind: "language", locale: "vi" }],
      ["audience_kind=enterprises", { kind: "enterprises" }],
    ] as const) {
      const res = await client.get(`/console/announcements/count?${query}`, { "hx-request": "true" });
      expect(res.status).toBe(200);
      const expected = await service.count(audience);
      expect(unescape(res.text)).toContain(vi("console-announcements:compose.count", { count: expected }));
      expect(res.text).not.toContain("<html");
    }
    expect(await service.count({ kind: "all" })).toBe(4);
    expect(await service.count({ kind: "language", locale: "en" })).toBe(1);
    const missing = await client.get("/console/announcements/count?audience_kind=sector", { "hx-request": "true" });
    expect(unescape(missing.text)).toContain(vi("console-announcements:errors.sector_missing"));
  });

  it("previews what readers get: the closing line in their language, split at each channel's limit", async () => {
    const short = await client.get(`/console/announcements/preview?text_vi=${encodeURIComponent("Xin chào <b>doanh nghiệp</b>")}&text_en=`, { "hx-request": "true" });
    const html = short.text;
    expect(html).toContain("Xin chào &lt;b&gt;doanh nghiệp&lt;/b&gt;");
    expect(unescape(html)).toContain(vi("staff:broadcast.stop_line"));
    expect(unescape(html)).toContain(renderer.render({ key: "staff:broadcast.stop_line" }, "en"));
    // 3000 characters: one Telegram message (4096), two on Zalo (2000).
    const long = Array.from({ length: 300 }, (_, i) => `câu${String(i).padStart(5, "0")}`).join(" ");
    const split = await client.get(`/console/announcements/preview?text_vi=${encodeURIComponent(long)}`, { "hx-request": "true" });
    const bubbles = (channel: string) => {
      const figure = new RegExp(`data-locale="vi"[\\s\\S]*?data-channel="${channel}"([\\s\\S]*?)</figure>`).exec(split.text)?.[1] ?? "";
      return (figure.match(/class="chat-bubble"/g) ?? []).length;
    };
    expect(bubbles("telegram")).toBe(1);
    expect(bubbles("zalo")).toBe(2);
    // The longest text the chat accepts (4000 characters of Vietnamese) still fits a GET: one Telegram message, three on Zalo.
    const sentence = "Hội thảo nâng cao năng suất chất lượng cho doanh nghiệp tỉnh Khánh Hòa. ";
    const longest = sentence.repeat(60).slice(0, 4000).trim();
    const max = await client.get(`/console/announcements/preview?text_vi=${encodeURIComponent(longest)}`, { "hx-request": "true" });
    expect(max.status).toBe(200);
    const maxBubbles = (channel: string) => ((new RegExp(`data-locale="vi"[\\s\\S]*?data-channel="${channel}"([\\s\\S]*?)</figure>`).exec(max.text)?.[1] ?? "").match(/class="chat-bubble"/g) ?? []).length;
    expect([maxBubbles("telegram"), maxBubbles("zalo")]).toEqual([1, 3]);
    const empty = await client.get("/console/announcements/preview?text_vi=", { "hx-request": "true" });
    expect(unescape(empty.text)).toContain(vi("console-announcements:preview.empty"));
  });

  it("schedules one for later (audited), shows it, cancels it (audited)", async () => {
    const at = new Date(Date.now() + 2 * 86_400_000);
    const res = await client.post("/console/announcements", form({ when: "later", send_at: wallTime(at), text_en: "Workshop" }));
    expect(res.status).toBe(303);
    const id = /\/console\/announcements\/([a-z0-9]+)$/.exec(res.location ?? "")?.[1];
    expect(id).toBeTruthy();
    const stored = await staff.broadcasts.get(id!);
    expect(stored?.status).toBe("scheduled");
    expect(stored?.text).toEqual({ vi: "Hội thảo năng suất 10/12", en: "Workshop" });
    expect(stored?.createdBy).toBe("telegram:777");
    expect(Math.abs(stored!.sendAt.getTime() - at.getTime())).toBeLessThan(60_000);
    const page = await client.get(res.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`/console/announcements/${id}/cancel`);
    expect(page.text).not.toContain('hx-trigger="every 1s"');
    const list = await client.get("/console/announcements");
    expect(unescape(list.text)).toContain(vi("console-announcements:status.scheduled"));

    const cancelled = await client.post(`/console/announcements/${id}/cancel`, { _csrf: csrf });
    expect(cancelled.status).toBe(303);
    expect((await staff.broadcasts.get(id!))?.status).toBe("cancelled");
    const again = await client.post(`/console/announcements/${id}/cancel`, { _csrf: csrf });
    expect(again.status).toBe(409);
    const audit = await c.repo.recentAudit(20);
    expect(audit.find((a) => a.action === "announcement.create")).toMatchObject({ by: "telegram:777", result: "303" });
    expect(audit.filter((a) => a.action === "announcement.cancel").map((a) => [a.target, a.result]).sort()).toEqual([[id, "303"], [id, "409"]]);
    // The refused forms were recorded too (422), none of them created anything.
    expect(audit.filter((a) => a.action === "announcement.create" && a.result === "422").length).toBeGreaterThanOrEqual(5);
  });

  it("sends now: the status fragment reports the outcome (no channel here: failed), resend makes a new one for that person (audited)", async () => {
    const res = await client.post("/console/announcements", form({ audience_kind: "lang_en" }));
    expect(res.status).toBe(303);
    const id = /\/console\/announcements\/([a-z0-9]+)$/.exec(res.location ?? "")![1]!;
    // "Now" waits for the job queue: the page polls meanwhile.
    expect((await client.get(res.location!)).text).toContain('hx-trigger="every 1s"');
    let status = "";
    for (let i = 0; i < 120 && status !== "done"; i++) {
      const fragment = await client.get(`/console/announcements/${id}/status`, { "hx-request": "true" });
      status = /data-status="(\w+)"/.exec(fragment.text)?.[1] ?? "";
      if (status === "done") {
        expect(fragment.text).not.toContain("<html");
        expect(fragment.text).not.toContain("hx-trigger");
        expect(fragment.text).toContain('data-count="failed">1<');
        expect(fragment.text).toContain(`/console/announcements/${id}/resend`);
      } else await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe("done");
    const resent = await client.post(`/console/announcements/${id}/resend`, { _csrf: csrf });
    expect(resent.status).toBe(303);
    const newId = /\/console\/announcements\/([a-z0-9]+)$/.exec(resent.location ?? "")![1]!;
    const copy = await staff.broadcasts.get(newId);
    expect(copy?.resendOf).toBe(id);
    expect(copy?.audience).toEqual({ kind: "contacts", contacts: ["telegram:5003"] });
    // Handed over: the original has nothing left to resend.
    expect((await client.post(`/console/announcements/${id}/resend`, { _csrf: csrf })).status).toBe(409);
    const audit = await c.repo.recentAudit(30);
    expect(audit.filter((a) => a.action === "announcement.resend").map((a) => [a.target, a.result]).sort()).toEqual([[id, "303"], [id, "409"]]);
  }, 60_000);

  it("creates one announcement from one form, however often it is submitted (double click, resend)", async () => {
    const page = await client.get("/console/announcements/new");
    const formId = /name="form_id" value="([^"]+)"/.exec(page.text)![1]!;
    const before = await broadcasts();
    const submit = () => client.post("/console/announcements", form({ form_id: formId, when: "later", send_at: wallTime(new Date(Date.now() + 86_400_000)), text_vi: "Một lần thôi" }));
    const answers = await Promise.all([submit(), submit(), submit()]);
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303]);
    expect(await broadcasts()).toBe(before + 1);
    expect(await c.db.models.broadcast.countDocuments({ "text.vi": "Một lần thôi" })).toBe(1);
    // A refused form keeps its id, so fixing it and sending still creates exactly one.
    const fresh = /name="form_id" value="([^"]+)"/.exec((await client.get("/console/announcements/new")).text)![1]!;
    const refused = await client.post("/console/announcements", form({ form_id: fresh, text_vi: "" }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`name="form_id" value="${fresh}"`);
  });

  it("answers 404 for an announcement that does not exist", async () => {
    expect((await client.get("/console/announcements/nosuch1")).status).toBe(404);
    expect((await client.post("/console/announcements/nosuch1/resend", { _csrf: csrf })).status).toBe(404);
  });
});
