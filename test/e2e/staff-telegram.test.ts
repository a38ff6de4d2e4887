/**
 * Staff work end to end on Telegram: the real app (createApp, polling) against telegram-test-api
 * and a real database. A course created with one wrong date corrected in place; its capacity
 * raised, promoting the person waiting (who is told on Telegram); a reschedule that sends each
 * registrant exactly one notice carrying the new start and end.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { createApp, type App } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { silentLogger } from "../../src/shared/logger.js";
import { botMessages, startEmulator, waitFor, type Emulator } from "../channels/telegram/emulator.js";
import type { I18nKey } from "../../src/engine/messages.js";

const TOKEN = "223344556:AAH-staff-e2e-telegram-token";
const STAFF = 777;
const A = 801;
const B = 802;

describe("staff flows on Telegram", () => {
  let emulator: Emulator;
  let app: App;
  let db: Database;
  let client: ReturnType<Emulator["getClient"]>;
  const t = (key: I18nKey, params?: Record<string, string | number>) => app.renderer.render({ key, ...(params ? { params } : {}) }, "vi");
  const texts = (chat: number) => botMessages(emulator, TOKEN, chat).map((m) => m.text);

  /** Types `text` as the staff member; resolves with the bot's new messages once `until` matches one. */
  async function say(text: string, until: (s: string) => boolean = () => true): Promise<string> {
    const before = texts(STAFF).length;
    await client.sendMessage(client.makeMessage(text));
    return waitFor(emulator, () => {
      const fresh = texts(STAFF).slice(before);
      return fresh.some(until) ? fresh.join("\n") : undefined;
    }, 20_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message} after ${JSON.stringify(text)}; got: ${JSON.stringify(texts(STAFF).slice(before))}`);
    });
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    const uri = withDatabaseName(inject("mongoUri"), "t_e2e_staff_telegram");
    const first = await openDatabase(uri);
    await first.connection.dropDatabase();
    await first.close();
    db = await openDatabase(uri);
    const parsed = parseConfig({ MONGODB_URI: uri, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: emulator.config.apiURL, STAFF_IDS: `telegram:${STAFF}`, TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "silent", REMINDER_OFFSETS_HOURS: "24" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    app = await createApp({ config: parsed.config, db, logger: silentLogger });
    await app.start();
    client = emulator.getClient(TOKEN, { userId: STAFF, chatId: STAFF, timeout: 5_000 });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await db?.close();
    await emulator?.stop();
  });

  it("creates a course with one wrong date corrected in place, raises its capacity (promotion), reschedules it (one notice each)", async () => {
    await say("/newcourse", (s) => s.includes(t("staff:course.ask.title_vi")));
    await say("Lớp Kaizen cơ bản", (s) => s.includes(t("staff:course.ask.title_en")));
    await say("Bỏ qua", (s) => s.includes(t("staff:course.ask.description_vi")));
    await say("Bỏ qua", (s) => s.includes(t("staff:course.ask.start")));
    const refused = await say("25/13/2030 08:00", (s) => s.includes(t("staff:course.errors.month", { month: 13 })));
    expect(refused).toContain(t("staff:course.ask.start"));
    await say("25/12/2030 08:00", (s) => s.includes(t("staff:course.ask.end")));
    await say("25/12/2030 11:00", (s) => s.includes(t("staff:course.ask.place")));
    await say("Hội trường Sở KH&CN", (s) => s.includes(t("staff:course.ask.capacity")));
    await say("1", (s) => s.includes(t("staff:course.ask.deadline")));
    await say("Bỏ qua", (s) => s.includes(t("staff:course.ask.audience")));
    await say(t("staff:course.audience.workers"));
    const summary = await say(t("common:menu.done"), (s) => s.includes("Lớp Kaizen cơ bản"));
    expect(summary).toContain("25/12/2030 08:00");
    const created = await say("Có", (s) => /[0-9a-f]{24}/.test(s));
    const courseId = /([0-9a-f]{24})/.exec(created)![1]!;

    // Two people register (through the registration service the chat uses): one seat, one waiting.
    const registration = createRegistrationService({ db });
    const reg = (chat: number) => registration.register({ courseId, contactId: `telegram:${chat}`, fullName: "Học viên", phone: `+849012${String(chat).padStart(5, "0")}`, enterprise: null, jobTitle: null, consentAt: new Date() }, new Date());
    expect((await reg(A)).outcome).toBe("confirmed");
    expect((await reg(B)).outcome).toBe("waitlisted");

    // Capacity 1 → 2: the waiting person gets the seat at once and is told on Telegram.
    await say("/editcourse", (s) => s.includes(t("staff:course.pick")));
    await say("1", (s) => s.includes(t("staff:course.ask_field")));
    await say(t("staff:course.field.capacity"), (s) => s.includes(t("staff:course.ask.capacity")));
    expect(await say("2", (s) => s.includes(t("staff:course.raised")))).toContain(t("staff:course.raised"));
    const promoted = await waitFor(emulator, () => texts(B).find((m) => m.includes("Lớp Kaizen cơ bản")), 20_000);
    expect(promoted).toContain("25/12/2030 08:00");
    expect((await registration.repo.listForCourse(courseId)).map((r) => r.status)).toEqual(["confirmed", "confirmed"]);

    // One reschedule: only the start is typed; the end follows; one notice each with both.
    const beforeA = texts(A).length;
    const beforeB = texts(B).length;
    await say("/editcourse", (s) => s.includes(t("staff:course.pick")));
    await say("1", (s) => s.includes(t("staff:course.ask_field")));
    await say(t("staff:course.field.reschedule"), (s) => s.includes(t("staff:course.ask_reschedule")));
    await say("27/12/2030 13:30", (s) => s.includes(t("staff:course.moved")));
    const noticeA = await waitFor(emulator, () => texts(A).slice(beforeA)[0], 20_000);
    await waitFor(emulator, () => texts(B).slice(beforeB)[0], 20_000);
    expect(noticeA).toContain("27/12/2030 13:30");
    expect(noticeA).toContain("27/12/2030 16:30");
    await new Promise((r) => setTimeout(r, 1_500));
    expect(texts(A).slice(beforeA)).toHaveLength(1);
    expect(texts(B).slice(beforeB)).toHaveLength(1);

    // The sign-up link: /courselink gives the deep link (the bot's name from getMe); opening it
    // (Telegram sends "/start <code>") lands a new person on the course's page.
    await say("/courselink", (s) => s.includes(t("staff:course.pick")));
    const link = await say("1", (s) => /https:\/\/t\.me\/\w+\?start=KH\d+/.test(s));
    const code = /\?start=(KH\d+)/.exec(link)![1]!;
    const visitor = emulator.getClient(TOKEN, { userId: 901, chatId: 901, timeout: 5_000 });
    await visitor.sendMessage(visitor.makeMessage(`/start ${code}`));
    const page = await waitFor(emulator, () => texts(901).find((m) => m.includes("Lớp Kaizen cơ bản")), 20_000);
    expect(page).toContain("27/12/2030 13:30");
  }, 120_000);
});
