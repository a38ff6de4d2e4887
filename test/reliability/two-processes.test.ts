/**
 * Two bot processes on one database (as behind a webhook load balancer): a conversation moves
 * between them mid-form and completes once; the same update delivered to both is handled once;
 * a course reminder is delivered once although both run the job queue; and a broadcast is
 * delivered once to each recipient even when BOTH processes send it at the same time (one
 * stalls, the other takes over, the first wakes up and goes on): only the delivery claim
 * prevents the duplicates there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { answersFor, expectedFor, textUpdate } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { createBroadcastService } from "../../src/jobs/broadcasts.js";
import { systemClock } from "../../src/shared/clock.js";
import { createJobQueue } from "../../src/jobs/job-queue.js";
import { capturedLogs, registrationScript, runSteps, startChildBot, startFake, startOwnDatabase, TelegramUser, TOKEN, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

// Reminders 0.02 h = 72 s before the start; the course starts 80 s after set-up, so the
// reminder falls due a few seconds after the registration.
const OFFSET_HOURS = 0.02;
const RATE = 5;
let server: OwnDatabase;
let fake: FakeBotApi;
let db: Database;
let a: ChildBot;
let b: ChildBot;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  const uri = withDatabaseName(server.uri, "two");
  db = await openDatabase(uri);
  // A slow send rate, so a broadcast lasts long enough to stall its sender mid-way.
  const extra = { REMINDER_OFFSETS_HOURS: String(OFFSET_HOURS), TELEGRAM_RATE_PER_SEC: String(RATE) };
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

  it("the same update delivered to both processes at once is handled once", async () => {
    const post = (bot: ChildBot, body: unknown) =>
      fetch(`http://127.0.0.1:${bot.port}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        body: JSON.stringify(body),
      });
    // A control user, handled by one process: how many messages one /start gets.
    const control = new TelegramUser(50, fake, (u) => a.post(u));
    const single = (await control.say("/start")).length;
    expect(single).toBeGreaterThan(0);
    const twice = new TelegramUser(51, fake, (u) => a.post(u));
    const update = textUpdate(51, "/start");
    const answers = await Promise.all([post(a, update), post(b, update)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const until = Date.now() + 20_000;
    while ((await twice.all()).length < single && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await twice.all()).length).toBe(single);
  });

  it("delivers a broadcast once to each recipient while both processes send it at the same time", async () => {
    // Recipients: everyone who has talked to the bot plus 30 more.
    for (let k = 0; k < 30; k += 1) await new TelegramUser(100 + k, fake, (u) => (k % 2 ? a : b).post(u)).say("/start");
    const recipients = await db.models.contact.countDocuments({ lastSeenAt: { $exists: true } });
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
    if (!created.ok) throw new Error(created.reason);
    await queue.stop();
    const received = async () => (await fake.sends()).filter((s) => s.text.startsWith(text)).length;
    const waitFor = async (check: (n: number) => boolean, ms: number, what: string) => {
      const until = Date.now() + ms;
      for (let n = await received(); !check(n); n = await received()) {
        if (Date.now() > until) throw new Error(`timed out: ${what} (${n} received)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await waitFor((n) => n >= 3, 60_000, "the broadcast to start");

    // Stall the process that is sending (SIGSTOP): whichever it is, sends stop when it is stalled.
    let stalled: ChildBot | undefined;
    for (const candidate of [a, b]) {
      candidate.child.kill("SIGSTOP");
      const before = await received();
      await new Promise((r) => setTimeout(r, 1_500));
      if ((await received()) === before) {
        stalled = candidate;
        break;
      }
      candidate.child.kill("SIGCONT");
    }
    if (!stalled) throw new Error("could not find the sending process");
    try {
      // The other process sees no heartbeat, takes the broadcast over and sends on.
      const atStall = await received();
      await waitFor((n) => n > atStall + 2, 30_000, "the other process to take over");
    } finally {
      // The stalled one wakes up mid-broadcast and goes on sending it too.
      stalled.child.kill("SIGCONT");
    }
    const finishBy = Date.now() + 60_000;
    while ((await db.models.broadcast.findById(created.broadcast._id).lean())?.status !== "done" && Date.now() < finishBy) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 4_000));
    const sends = (await fake.sends()).filter((s) => s.text.startsWith(text));
    const perChat = new Map<string, number>();
    for (const s of sends) perChat.set(s.chat, (perChat.get(s.chat) ?? 0) + 1);
    const twice = [...perChat.values()].filter((n) => n > 1).length;
    console.log(`[two-processes] recipients=${recipients} reached=${perChat.size} twice=${twice}`);
    expect(twice).toBe(0);
    expect(perChat.size).toBe(recipients);
  });

  it("logs of both processes hold no personal data or secrets", () => {
    const logs = capturedLogs();
    const x = answersFor(1);
    for (const value of [x.name, x.taxCode, x.address, x.contactPerson, x.phone, x.email, "Trần Thị Nhắc", "0987000002", "+84987000002"]) expect(logs).not.toContain(value);
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
  });
});
