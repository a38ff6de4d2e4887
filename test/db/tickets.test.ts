/** The ticket service on the real database: unique numbers under concurrency, rate limit, delivery, states. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTicketService } from "../../src/actions/tickets-service.js";
import { parseReplyArgs } from "../../src/actions/tickets-service.js";
import type { Database } from "../../src/db/database.js";
import { createTicketsRepo } from "../../src/db/tickets-repo.js";
import type { Msg, Notifier, SendResult, UserRef } from "../../src/engine/messages.js";
import { ticketReplyCommand } from "../../src/channels/shared/ticket-reply.js";
import { clockFrom } from "../../src/shared/clock.js";
import { openTestDatabase } from "../helpers/db.js";

describe("tickets", () => {
  let db: Database;
  const sent: { user: UserRef; messages: Msg[] }[] = [];
  let deliver: SendResult = { ok: true };
  const notifier: Notifier = { notify: async (user, messages) => (sent.push({ user, messages }), deliver) };
  let now = new Date("2026-12-01T08:00:00Z");
  const service = () => createTicketService({ repo: createTicketsRepo(db), notifier, recipients: async () => ["telegram:1", "zalo:staff-2"], clock: clockFrom(() => now) });

  beforeAll(async () => {
    db = await openTestDatabase("tickets");
  });
  afterAll(async () => db?.close());

  it("numbers are unique even when many people ask at once (claimed by insert)", async () => {
    const s = service();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.open({ channel: "zalo", userId: `p${i}` }, `Người ${i}`, `Câu hỏi ${i}`)));
    const numbers = results.map((r) => (r.ok ? r.number : -1));
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.every((n) => n > 0)).toBe(true);
    // Each is forwarded to both staff on their own channel.
    expect(sent.filter((m) => m.messages[0]?.key === "handoff:staff.forward")).toHaveLength(24);
  });

  it("is rate-limited per person: the fourth question within an hour is refused, later it is accepted", async () => {
    const s = service();
    const who = { channel: "telegram" as const, userId: "busy" };
    for (let i = 0; i < 3; i++) expect((await s.open(who, "An", `q${i}`)).ok).toBe(true);
    expect(await s.open(who, "An", "q4")).toEqual({ ok: false, reason: "rate_limited" });
    expect((await s.open({ channel: "telegram", userId: "other" }, "Bình", "q")).ok).toBe(true);
    now = new Date(now.getTime() + 61 * 60_000);
    expect((await s.open(who, "An", "q5")).ok).toBe(true);
  });

  it("an answer reaches the person and marks the ticket answered; undelivered keeps it open; closed refuses", async () => {
    const s = service();
    const opened = await s.open({ channel: "zalo", userId: "asker" }, "Cúc", "Bao giờ có lớp?");
    if (!opened.ok) throw new Error("not opened");
    deliver = { ok: false, kind: "unreachable", code: "blocked" };
    expect(await s.answer(opened.number, "Tháng sau", "telegram:1")).toEqual({ ok: false, reason: "undelivered" });
    expect((await createTicketsRepo(db).get(opened.number))?.status).toBe("open");
    deliver = { ok: true };
    sent.length = 0;
    expect(await s.answer(opened.number, "Tháng sau", "telegram:1")).toEqual({ ok: true });
    expect(sent).toEqual([{ user: { channel: "zalo", userId: "asker" }, messages: [{ key: "handoff:answer", params: { number: opened.number, answer: "Tháng sau" } }] }]);
    expect((await createTicketsRepo(db).get(opened.number))?.status).toBe("answered");
    expect((await s.list()).some((t) => t._id === opened.number)).toBe(true);
    expect(await s.close(opened.number)).toBe(true);
    expect(await s.answer(opened.number, "again", "telegram:1")).toEqual({ ok: false, reason: "closed" });
    expect(await s.answer(999_999, "x", "telegram:1")).toEqual({ ok: false, reason: "not_found" });
    expect((await s.list()).some((t) => t._id === opened.number)).toBe(false);
  });

  it("reads /reply arguments and Telegram replies to a forwarded ticket", () => {
    expect(parseReplyArgs("12 Chào chị")).toEqual({ number: 12, text: "Chào chị" });
    expect(parseReplyArgs("#7  nhiều dòng\nnữa")).toEqual({ number: 7, text: "nhiều dòng\nnữa" });
    expect(parseReplyArgs("abc")).toBeNull();
    expect(parseReplyArgs("12")).toBeNull();
    expect(ticketReplyCommand("Câu hỏi mới #12 từ An", true, "Dạ có")).toBe("/reply 12 Dạ có");
    expect(ticketReplyCommand("Câu hỏi mới #12 từ An", false, "Dạ có")).toBeNull();
    expect(ticketReplyCommand("no marker", true, "Dạ có")).toBeNull();
    expect(ticketReplyCommand("Câu hỏi mới #12", true, "/menu")).toBeNull();
  });
});
