/**
 * Crash on confirm: 30 users walk the course registration through the webhook to its summary,
 * press "confirm" at the same moment, and the bot process is SIGKILLed as soon as the webhook
 * has acknowledged every press. After a restart, every user must be told an outcome (seat,
 * waitlist, or "not saved, register again") in their language, no registration may be left
 * `pending`, and nobody may be refused as "already registered" for their own submission.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeBotApi, FakeSend } from "../../bench/fake-bot-api-process.js";
import { pressUpdate } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { createOpenCourse, root, startChildBot, startFake, startOwnDatabase, TelegramUser, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";
import { join } from "node:path";

const USERS = 30;
const SEATS = 20;
let server: OwnDatabase;
let fake: FakeBotApi;
let db: Database;
let bot: ChildBot | undefined;
let uri: string;
let courseId: string;

/** The fixed text before the first parameter of a message, in Vietnamese (the users' language). */
const locales = loadLocales(join(root, "locales"));
const courses = locales.vi.courses as unknown as Record<string, Record<string, string>>;
const prefix = (text: string) => text.slice(0, text.indexOf("{{"));
const OUTCOMES = [courses.register!.confirmed!, courses.register!.waitlisted!, ...Object.values(courses.recovered ?? {})].map(prefix);
const REFUSED = prefix(courses.register!.already_registered!);

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  uri = withDatabaseName(server.uri, "crash_confirm");
  db = await openDatabase(uri);
  courseId = await createOpenCourse(db, { vi: "Khóa đào tạo Kaizen", en: "Kaizen training" }, { vi: "Cải tiến liên tục.", en: "Continuous improvement." }, SEATS);
});

afterAll(async () => {
  await bot?.kill("SIGKILL");
  await db?.close();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

const told = (sends: FakeSend[]) => sends.some((s) => OUTCOMES.some((o) => s.text.startsWith(o)));

describe(`SIGKILL right after ${USERS} users confirmed a course registration`, () => {
  it("tells every user an outcome after the restart and leaves no registration pending", { timeout: 600_000 }, async () => {
    // A short lease so the restarted process takes the unfinished updates within seconds.
    const extra = { INBOX_LEASE_SECONDS: "2", LOG_LEVEL: "info" };
    const first = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra });
    bot = first;
    const users = Array.from({ length: USERS }, (_, k) => new TelegramUser(5_000 + k, fake, (u) => first.post(u)));
    // Up to the summary, one user after another (the harness waits for each answer).
    for (const [k, user] of users.entries()) {
      await user.say("/courses");
      await user.press(courseId);
      await user.press("register");
      await user.press("yes");
      await user.say(`Trần Thị Học Viên ${String.fromCharCode(65 + (k % 26))}`);
      await user.say(`09${String(30_000_000 + k).slice(-8)}`);
      await user.press("skip");
      await user.press("skip");
    }
    const before = await Promise.all(users.map(async (u) => (await u.all()).length));
    // Everyone presses "confirm" at once; the process dies as soon as every press is acknowledged.
    const presses = await Promise.all(users.map((u) => u.lastKeyboardMessage().then(async (m) => ({ m, buttons: await u.buttons() }))));
    const statuses = await Promise.all(
      users.map(async (u, k) => {
        const { m, buttons } = presses[k]!;
        const yes = buttons.find((b) => b.callback_data?.endsWith(".yes"));
        const res = await fetch(`http://127.0.0.1:${first.port}/webhooks/telegram`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
          body: JSON.stringify(pressUpdate(u.index, m?.id ?? 0, yes?.callback_data ?? "", buttons)),
        });
        return res.status;
      }),
    );
    await first.kill("SIGKILL");
    expect(statuses.every((s) => s === 200)).toBe(true);
    const toldBeforeKill = (await Promise.all(users.map(async (u, k) => told((await u.all()).slice(before[k]))))).filter(Boolean).length;
    const pendingAfterKill = await db.models.registration.countDocuments({ courseId, status: "pending" });

    const second = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra });
    bot = second;
    // Bounded by count: up to 300 checks, 200 ms apart.
    let toldAll = 0;
    let pending = -1;
    for (let check = 0; check < 300; check++) {
      toldAll = (await Promise.all(users.map(async (u, k) => told((await u.all()).slice(before[k]))))).filter(Boolean).length;
      pending = await db.models.registration.countDocuments({ courseId, status: "pending" });
      if (toldAll === USERS && pending === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const refused = (await Promise.all(users.map(async (u, k) => (await u.all()).slice(before[k]).some((s) => s.text.startsWith(REFUSED))))).filter(Boolean).length;
    const regs = await db.models.registration.find({ courseId }).lean();
    const seats = await db.models.seat.countDocuments({ courseId });
    console.info(`crash-on-confirm: told before kill ${toldBeforeKill}/${USERS}, pending after kill ${pendingAfterKill}; after restart told ${toldAll}/${USERS}, pending ${pending}, refused ${refused}`);
    // On failure, what each untold user saw after pressing confirm (bot texts only, no personal data).
    const untold = (await Promise.all(users.map(async (u, k) => ({ k, after: (await u.all()).slice(before[k]) })))).filter((x) => !told(x.after));
    const seen = untold.map((x) => `user ${x.k}: ${JSON.stringify(x.after.map((m) => m.text.slice(0, 50)))}`).join("\n");
    expect({ told: toldAll, pending, refused }, seen).toEqual({ told: USERS, pending: 0, refused: 0 });
    // Whole: every registration confirmed with its own seat, or waitlisted; never more seats than the course has.
    expect(seats).toBeLessThanOrEqual(SEATS);
    expect(regs.filter((r) => r.status === "confirmed").length).toBe(seats);
    expect(new Set(regs.map((r) => r.contactId)).size).toBe(regs.length);
  });
});
