/**
 * Two bot processes on one database (as behind a webhook load balancer): a conversation moves
 * between them mid-form and completes once; a course reminder and a broadcast are each
 * delivered exactly once although both processes run the job queue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { answersFor, expectedFor } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { createBroadcastService } from "../../src/jobs/broadcasts.js";
import { systemClock } from "../../src/jobs/clock.js";
import { createJobQueue } from "../../src/jobs/job-queue.js";
import { capturedLogs, registrationScript, runSteps, startChildBot, startFake, startOwnDatabase, TelegramUser, TOKEN, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

// Reminders 0.02 h = 72 s before the start; the course starts 80 s after set-up, so the
// reminder falls due a few seconds after the registration.
const OFFSET_HOURS = 0.02;
let server: OwnDatabase;
let fake: FakeBotApi;
let db: Database;
let a: ChildBot;
let b: ChildBot;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  const uri = withDatabaseName(server.uri, "two");
  db = await openDatabase(uri);
  const extra = { REMINDER_OFFSETS_HOURS: String(OFFSET_HOURS) };
  [a, b] = await Promise.all([startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra }), startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra })]);
});

afterAll(async () => {
  await Promise.all([a?.kill("SIGTERM"), b?.kill("SIGTERM")]);
  await db?.close();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

describe("two processes, one database", () => {
  it("a conversation moves between the processes mid-form and completes once", async () => {
    const script = registrationScript(answersFor(1));
    const user = new TelegramUser(1, fake, (u) => a.post(u));
    await runSteps(user, script, 0, 7);
    user.via((u) => b.post(u));
    await runSteps(user, script, 7, 10);
    user.via((u) => a.post(u));
    await runSteps(user, script, 10);
    const stored = await db.models.enterprise.find({}).lean();
    expect(stored.map((e) => e.taxCode)).toEqual([expectedFor(1).taxCode]);
    const people = await db.models.enterpriseContact.find({}).lean();
    expect(people.map((p) => p.name)).toEqual([expectedFor(1).contactPerson]);
  });

  it("sends a course reminder once although both processes run the job queue", async () => {
    const title = "Khóa học nhắc lịch một lần";
    const startAt = new Date(Date.now() + (OFFSET_HOURS * 3_600_000 + 8_000));
    const course = await db.models.course.create({
      title: { vi: title, en: "Reminder once course" },
      description: { vi: "Mô tả.", en: "Description." },
      startAt,
      endAt: new Date(startAt.getTime() + 3_600_000),
      place: "Nha Trang",
      capacity: 10,
      deadline: new Date(startAt.getTime() - 1_000),
      audience: [],
      status: "open",
    });
    const user = new TelegramUser(2, fake, (u) => a.post(u));
    await user.say("/start");
    await user.press("courses");
    await user.press(course._id);
    await user.press("register");
    await user.press("yes");
    await user.say("Trần Thị Nhắc");
    await user.say("0987000002");
    await user.press("skip");
    await user.press("skip");
    await user.press("yes");
    const registered = await db.models.registration.findOne({ courseId: course._id }).lean();
    expect(registered?.status).toBe("confirmed");
    const countWithTitle = async () => (await user.all()).filter((s) => s.text.includes(title)).length;
    const afterRegistration = await countWithTitle();
    // Bounded wait for the reminder, then a little longer to catch a second one.
    const until = Date.now() + 45_000;
    while ((await countWithTitle()) === afterRegistration && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    expect(await countWithTitle()).toBe(afterRegistration + 1);
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await countWithTitle()).toBe(afterRegistration + 1);
  });

  it("delivers a broadcast once to each recipient although both processes run the job queue", async () => {
    // Recipients: everyone who has talked to the bot (users 1 and 2) plus 30 more.
    for (let k = 0; k < 30; k += 1) await new TelegramUser(100 + k, fake, (u) => (k % 2 ? a : b).post(u)).say("/start");
    const queue = createJobQueue(db, { name: "test-scheduler" });
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db),
      deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map(),
      limiters: new Map(),
      notifier: { notify: async () => ({ ok: true }) },
      queue,
      clock: systemClock,
    });
    // Only schedules the job (this queue is never started): one of the bot processes delivers it.
    const text = "Thông báo: hội thảo năng suất chất lượng tháng tới.";
    const created = await service.create({ text: { vi: text }, audience: { kind: "all" }, createdBy: "cli" });
    expect(created.ok).toBe(true);
    const expected = 32;
    const until = Date.now() + 60_000;
    const received = async () => (await fake.sends()).filter((s) => s.text === text);
    while ((await received()).length < expected && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 5_000));
    const sends = await received();
    const perChat = new Map<string, number>();
    for (const s of sends) perChat.set(s.chat, (perChat.get(s.chat) ?? 0) + 1);
    expect(perChat.size).toBe(expected);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
  });

  it("logs of both processes hold no personal data or secrets", () => {
    const logs = capturedLogs();
    const x = answersFor(1);
    for (const value of [x.name, x.taxCode, x.address, x.contactPerson, x.phone, x.email, "Trần Thị Nhắc", "0987000002", "+84987000002"]) expect(logs).not.toContain(value);
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
  });
});
