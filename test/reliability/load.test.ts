/**
 * Load: 200 users register for one 50-seat course at the same moment through the webhook (HTTP,
 * schema check, inbox, per-chat queue; each user's updates in order, all users at once) →
 * exactly 50 confirmed, the rest waitlisted, nobody twice, every user told their outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { createOpenCourse, startFake, startInProcessBot, startOwnDatabase, TelegramUser, webhookDelivery, type InProcessBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

const USERS = Number(process.env.LOAD_USERS ?? 200);
const SEATS = Number(process.env.LOAD_SEATS ?? 50);
let server: OwnDatabase;
let fake: FakeBotApi;
let bot: InProcessBot;
let courseId: string;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  bot = await startInProcessBot({ mongoUri: server.uri, apiRoot: fake.apiRoot, dbName: "load", extra: { LOG_LEVEL: "info" } });
  courseId = await createOpenCourse(bot.db, { vi: "Khóa đào tạo 5S", en: "5S training" }, { vi: "Thực hành 5S tại doanh nghiệp.", en: "5S in practice." }, SEATS);
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

describe(`${USERS} users, one ${SEATS}-seat course, at once`, () => {
  it(`confirms exactly ${SEATS}`, { timeout: 300_000 }, async () => {
    const deliver = webhookDelivery(bot.port, bot.db);
    const failures: string[] = [];
    const apologies = (["common:errors.unexpected", "common:errors.unavailable"] as const).map((key) => bot.app.renderer.render({ key }, "vi"));
    const users: TelegramUser[] = [];
    const told = (["courses:register.confirmed", "courses:register.waitlisted"] as const).map((key) => bot.app.renderer.render({ key, params: { title: "\u0000" } }, "vi").split("\u0000")[0]!);
    await Promise.all(
      Array.from({ length: USERS }, async (_, k) => {
        const user = new TelegramUser(1_000 + k, fake, deliver).retrying(apologies);
        users.push(user);
        try {
          await user.say("/courses");
          await user.press(courseId);
          await user.press("register");
          await user.press("yes");
          await user.say(`Nguyễn Văn Học Viên ${String.fromCharCode(65 + (k % 26))}`);
          await user.say(`09${String(20_000_000 + k).slice(-8)}`);
          await user.press("skip");
          await user.press("skip");
          const outcome = await user.press("yes");
          if (!outcome.some((m) => told.some((t) => m.text.startsWith(t)))) failures.push(`user ${k}: no outcome in ${JSON.stringify(outcome.map((m) => m.text.slice(0, 60)))}`);
        } catch (error) {
          const last = (await user.all()).slice(-3).map((m) => JSON.stringify(m.text.slice(0, 90)));
          failures.push(`user ${k}: ${(error as Error).message} — last messages: ${last.join(" / ")}`);
        }
      }),
    );
    expect(failures.slice(0, 5), failures.slice(0, 5).join("\n")).toEqual([]);
    // Not a failure of the rule, but worth seeing: steps the bot asked to try again under load.
    const retries = users.reduce((n, u) => n + u.retries, 0);
    if (retries > 0) console.warn(`load: ${retries} steps were answered "please try again" and retried`);
    const registrations = await bot.db.models.registration.find({ courseId }).lean();
    const confirmed = registrations.filter((r) => r.status === "confirmed");
    const waitlisted = registrations.filter((r) => r.status === "waitlisted");
    expect(confirmed).toHaveLength(SEATS);
    expect(waitlisted).toHaveLength(USERS - SEATS);
    // One registration per person.
    expect(new Set(registrations.map((r) => r.contactId)).size).toBe(registrations.length);
  });
});
