/**
 * The console's questions, staff and privacy pages over HTTP against the real app and database:
 * answering a question reaches the person on Telegram (as /reply does) and an undeliverable one
 * changes nothing; closing; adding and removing staff with the chat's rules, a removed member's
 * console sessions ended at once; looking an account up, exporting and erasing it (after typing
 * it again), each with its privacy audit record; bad input answered with the field's message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botMessages, startEmulator, waitFor, type Emulator } from "../channels/telegram/emulator.js";
import { consoleClient, csrfOf, signIn, startConsoleApp, type ConsoleApp } from "./console-app.js";
import { person, seeder } from "./seed.js";

const TOKEN = "223344558:AAH-console-people-token";

describe("console questions, staff and privacy", () => {
  let emulator: Emulator;
  let c: ConsoleApp;
  let seed: ReturnType<typeof seeder>;
  let client: ReturnType<typeof consoleClient>;
  let csrf: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    c = await startConsoleApp("console_people_pages", { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL });
    seed = seeder(c.db);
    client = consoleClient(c.base);
    csrf = csrfOf(await signIn(c, client));
  }, 120_000);
  afterAll(async () => {
    await seed?.stop();
    await c?.stop();
    await emulator?.stop();
  });

  describe("questions", () => {
    it("answers a question: the person gets it on Telegram, the ticket is answered", async () => {
      const opened = await seed.question("telegram", "5001", "Chị <b>Hoa</b>", "Hỏi về <i>hỗ trợ</i>?");
      if (!opened.ok) throw new Error("ticket");
      const list = await client.get("/console/questions");
      expect(list.text).toContain("Chị &lt;b&gt;Hoa&lt;/b&gt;");
      expect(list.text).toContain("Hỏi về &lt;i&gt;hỗ trợ&lt;/i&gt;?");
      const empty = await client.post(`/console/questions/${opened.number}/reply`, { _csrf: csrf, answer: "   " });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain("Vui lòng nhập câu trả lời.");
      const sent = await client.post(`/console/questions/${opened.number}/reply`, { _csrf: csrf, answer: "Dạ, Sở hỗ trợ 50% chi phí." });
      expect(sent.status).toBe(303);
      const told = await waitFor(emulator, () => botMessages(emulator, TOKEN, 5001).find((m) => m.text.includes("50%")), 15_000);
      expect(told.text).toBe(c.app.renderer.render({ key: "handoff:answer", params: { number: opened.number, answer: "Dạ, Sở hỗ trợ 50% chi phí." } }, "vi"));
      expect(await c.db.models.ticket.findById(opened.number).lean()).toMatchObject({ status: "answered", answer: "Dạ, Sở hỗ trợ 50% chi phí.", answeredBy: "telegram:777" });
      expect((await client.get(sent.location!)).text).toContain(`#${opened.number}`);
      expect((await c.repo.recentAudit(3)).find((a) => a.action === "ticket.reply")).toMatchObject({ target: String(opened.number), result: "303" });
    });

    it("an answer that cannot be delivered changes nothing and keeps the typed text", async () => {
      // Zalo is not configured in this app: the person cannot be reached.
      const opened = await seed.question("zalo", "z-77", "Anh Nam", "Khi nào khai giảng?");
      if (!opened.ok) throw new Error("ticket");
      const undelivered = await client.post(`/console/questions/${opened.number}/reply`, { _csrf: csrf, answer: "Tháng sau ạ" });
      expect(undelivered.status).toBe(502);
      expect(undelivered.text).toContain(c.app.renderer.render({ key: "handoff:staff.undelivered", params: { number: opened.number } }, "vi"));
      expect(undelivered.text).toContain(">Tháng sau ạ</textarea>");
      expect(await c.db.models.ticket.findById(opened.number).lean()).toMatchObject({ status: "open" });
      expect((await c.db.models.ticket.findById(opened.number).lean())!.answer).toBeUndefined();
    });

    it("closes a question; closing it again says so", async () => {
      const opened = await seed.question("telegram", "5002", "Bác Tư", "Cảm ơn");
      if (!opened.ok) throw new Error("ticket");
      const closed = await client.post(`/console/questions/${opened.number}/close`, { _csrf: csrf });
      expect(closed.status).toBe(303);
      expect(await c.db.models.ticket.findById(opened.number).lean()).toMatchObject({ status: "closed" });
      expect((await client.get("/console/questions")).text).not.toContain("Bác Tư");
      const again = await client.post(`/console/questions/${opened.number}/close`, { _csrf: csrf });
      expect(again.status).toBe(404);
      expect(again.text).toContain(c.app.renderer.render({ key: "staff:cli.tickets.not_closed", params: { number: opened.number } }, "vi"));
      const replyClosed = await client.post(`/console/questions/${opened.number}/reply`, { _csrf: csrf, answer: "x" });
      expect(replyClosed.status).toBe(409);
    });
  });

  describe("staff", () => {
    it("adds a member with the chat's rules; refuses an invalid id and a configured one", async () => {
      const invalid = await client.post("/console/staff/add", { _csrf: csrf, key: "0905 123 456" });
      expect(invalid.status).toBe(422);
      expect(invalid.text).toContain(c.app.renderer.render({ key: "staff:staff.result.invalid", params: { id: "0905 123 456" } }, "vi").replace(/"/g, "&quot;"));
      expect(invalid.text).toContain('value="0905 123 456"');
      expect(await c.db.models.staff.countDocuments({})).toBe(0);
      const configured = await client.post("/console/staff/remove", { _csrf: csrf, key: "telegram:777" });
      expect(configured.status).toBe(409);
      const added = await client.post("/console/staff/add", { _csrf: csrf, key: "telegram:888" });
      expect(added.status).toBe(303);
      const page = await client.get(added.location!);
      expect(page.text).toContain(c.app.renderer.render({ key: "staff:staff.result.added", params: { id: "telegram:888" } }, "vi"));
      expect(page.text).toContain('data-staff="telegram:888"');
    });

    it("removes a member: their console session ends at once; they cannot remove themselves", async () => {
      await client.post("/console/staff/add", { _csrf: csrf, key: "telegram:889" });
      const other = consoleClient(c.base);
      const otherCsrf = csrfOf(await signIn(c, other, "telegram:889"));
      const self = await other.post("/console/staff/remove", { _csrf: otherCsrf, key: "telegram:889" });
      expect(self.status).toBe(409);
      expect(self.text).toContain(c.app.renderer.render({ key: "staff:staff.result.self", params: { id: "telegram:889" } }, "vi"));
      expect(await c.db.models.consoleSession.countDocuments({ staffKey: "telegram:889" })).toBe(1);
      const removed = await client.post("/console/staff/remove", { _csrf: csrf, key: "telegram:889" });
      expect(removed.status).toBe(303);
      expect(await c.db.models.consoleSession.countDocuments({ staffKey: "telegram:889" })).toBe(0);
      const after = await other.get("/console/staff");
      expect(after.status).toBe(303);
      expect(after.location).toContain("/console/signed-out");
      expect((await c.repo.recentAudit(5)).find((a) => a.action === "staff.remove" && a.result === "303")).toMatchObject({ by: "telegram:777" });
    });
  });

  describe("privacy", () => {
    beforeAll(async () => {
      const courseId = await seed.course("Lớp ISO");
      await seed.register(courseId, "telegram:6001", "Đặng Thị Mai", "+84906000001");
      await seed.enterprise("Công ty Mai Vàng", "0101243150", "other", "small", person("telegram:6001", "Đặng Thị Mai", "+84906000001"));
    });

    it("refuses an account that is not channel:id, with the field's message", async () => {
      const bad = await client.get("/console/privacy/show?account=0906000001");
      expect(bad.status).toBe(422);
      expect(bad.text).toContain(c.app.renderer.render({ key: "staff:cli.privacy.bad_subject", params: { id: "0906000001" } }, "vi"));
      expect(await c.db.models.privacyAudit.countDocuments({})).toBe(0);
    });

    it("shows and exports what is stored, each with a privacy audit record", async () => {
      const shown = await client.get("/console/privacy/show?account=telegram%3A6001");
      expect(shown.status).toBe(200);
      expect(shown.text).toContain("Đặng Thị Mai");
      expect(shown.text).toContain("Công ty Mai Vàng");
      const exported = await client.get("/console/privacy/export?account=telegram%3A6001");
      expect(exported.status).toBe(200);
      expect(exported.headers.get("content-disposition")).toContain("data-telegram_6001.json");
      const json = JSON.parse(exported.text) as { account: string; registrations: Array<{ fullName: string }> };
      expect(json.account).toBe("telegram:6001");
      expect(json.registrations[0]!.fullName).toBe("Đặng Thị Mai");
      expect(await c.db.models.privacyAudit.countDocuments({ subject: "telegram:6001", by: "telegram:777", action: { $in: ["show", "export"] } })).toBe(2);
    });

    it("erases only after the account is typed again; then nothing of it is left", async () => {
      const unconfirmed = await client.post("/console/privacy/erase", { _csrf: csrf, account: "telegram:6001", confirm: "telegram:600" });
      expect(unconfirmed.status).toBe(422);
      expect(unconfirmed.text).toContain("Tài khoản gõ lại không khớp; chưa xóa gì.");
      expect(await c.db.models.registration.countDocuments({ contactId: "telegram:6001", status: { $ne: "cancelled" } })).toBe(1);
      const erased = await client.post("/console/privacy/erase", { _csrf: csrf, account: "telegram:6001", confirm: "telegram:6001" });
      expect(erased.status).toBe(303);
      const page = await client.get(erased.location!);
      expect(page.text).toContain(c.app.renderer.render({ key: "staff:cli.privacy.erased", params: { id: "telegram:6001", registrations: 1, enterprises: 1, requests: 0 } }, "vi"));
      expect(await c.db.models.registration.countDocuments({ contactId: "telegram:6001" })).toBe(0);
      expect(await c.db.models.enterpriseContact.countDocuments({ contactId: "telegram:6001" })).toBe(0);
      expect(await c.db.models.privacyAudit.countDocuments({ subject: "telegram:6001", action: "erase", by: "telegram:777" })).toBe(1);
      expect((await c.repo.recentAudit(3)).find((a) => a.action === "privacy.erase")).toMatchObject({ result: "303" });
    });
  });
});
