/**
 * End to end, the hand-off to a person: a Zalo user asks for a person (fake Zalo Bot API),
 * the ticket is forwarded to a staff member on Telegram (telegram-test-api); the bot restarts;
 * the staff member replies to the forwarded message and the Zalo user receives the answer.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/log.js";
import { botMessages, startEmulator, waitFor, type Emulator } from "../channels/telegram/emulator.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

const ZALO_TOKEN = "1234567890:zalo-handoff-e2e-secret";
const TG_TOKEN = "123456:HANDOFFe2eTOKENnotREAL";
const DB = "e2e_handoff";
const STAFF_CHAT = 777;

describe("hand-off: Zalo user → Telegram staff → Zalo user, across a restart", () => {
  let zalo: FakeZaloServer;
  let telegram: Emulator;
  let db: Database;
  let app: App | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "nscl-handoff-"));

  async function startApp(): Promise<App> {
    const parsed = parseConfig({
      MONGODB_URI: testDatabaseUri(DB), ZALO_BOT_TOKEN: ZALO_TOKEN, ZALO_API_BASE: zalo.apiBase,
      TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_API_ROOT: telegram.config.apiURL,
      STAFF_IDS: `telegram:${STAFF_CHAT}`, TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir,
    });
    if (!parsed.ok) throw new Error("bad test config");
    const started = await createApp({ config: parsed.config, db, logger: createLogger({ level: "warn", file: join(dataDir, `bot-${Date.now()}.log`) }) });
    await started.start();
    return started;
  }

  beforeAll(async () => {
    zalo = await startFakeZaloServer({ token: ZALO_TOKEN, pollHoldMs: 50 });
    telegram = await startEmulator();
    db = await openTestDatabase(DB);
    app = await startApp();
  });

  afterAll(async () => {
    await app?.stop();
    await db?.close();
    await zalo?.close();
    await telegram?.stop();
  });

  async function zaloType(user: string, text: string): Promise<string> {
    const before = zalo.sent.length;
    zalo.pushUpdate(zalo.textUpdate(user, text));
    await zalo.waitForSent(before + 1, 20_000);
    await new Promise((r) => setTimeout(r, 150));
    return zalo.sent.slice(before).map((m) => m.text).join("\n---\n");
  }

  it("forwards the question to staff and brings the staff reply back to the Zalo user after a restart", async () => {
    const user = "z-handoff-1";
    expect(await zaloType(user, "cho em gặp cán bộ ạ")).toMatch(/gõ câu hỏi/i);
    expect(await zaloType(user, "Doanh nghiệp em được hỗ trợ tối đa bao nhiêu tiền?")).toMatch(/họ tên/i);
    expect(await zaloType(user, "Trần Thị Bình")).toMatch(/đồng ý/i);
    const opened = await zaloType(user, "đồng ý");
    expect(opened).toMatch(/phiếu số #1\b/);

    const forwarded = await waitFor(telegram, () => botMessages(telegram, TG_TOKEN, STAFF_CHAT).find((m) => m.text.includes("#1")), 20_000);
    expect(forwarded.text).toContain("Trần Thị Bình");
    expect(forwarded.text).toContain("zalo");
    expect(forwarded.text).toContain("tối đa bao nhiêu tiền");

    // A restart: the ticket lives in the database, not in the process.
    await app?.stop();
    app = await startApp();

    const staff = telegram.getClient(TG_TOKEN, { userId: STAFF_CHAT, chatId: STAFF_CHAT, timeout: 5_000 });
    await staff.sendCommand(staff.makeCommand("/tickets"));
    const list = await waitFor(telegram, () => botMessages(telegram, TG_TOKEN, STAFF_CHAT).find((m) => m.text.includes("chưa trả lời")), 20_000);
    expect(list.text).toMatch(/#1 · chưa trả lời · Trần Thị Bình/);

    const before = zalo.sent.length;
    await staff.sendMessage(staff.makeMessage("Chào chị, mức hỗ trợ tùy từng nhiệm vụ; Sở sẽ gọi lại cho chị.", {
      reply_to_message: { message_id: forwarded.messageId, text: forwarded.text, from: { id: 1, is_bot: true, first_name: "bot" }, chat: { id: STAFF_CHAT, type: "private" }, date: 0 },
    } as never));
    const [answer] = (await zalo.waitForSent(before + 1, 20_000)).slice(before);
    expect(answer).toMatchObject({ chatId: user });
    expect(answer?.text).toMatch(/phiếu #1\)/);
    expect(answer?.text).toContain("mức hỗ trợ tùy từng nhiệm vụ");
    await waitFor(telegram, () => botMessages(telegram, TG_TOKEN, STAFF_CHAT).find((m) => m.text.includes("Đã gửi câu trả lời cho phiếu #1")), 20_000);
    const ticket = await db.connection.collection("tickets").findOne({ _id: 1 as never });
    expect(ticket).toMatchObject({ status: "answered", contactId: `zalo:${user}`, answeredBy: `telegram:${STAFF_CHAT}` });
  });

  it("a non-staff /reply is refused and answers nobody", async () => {
    const before = zalo.sent.length;
    const stranger = telegram.getClient(TG_TOKEN, { userId: 4242, chatId: 4242, timeout: 5_000 });
    await stranger.sendCommand(stranger.makeCommand("/reply 1 hello"));
    await waitFor(telegram, () => botMessages(telegram, TG_TOKEN, 4242)[0], 20_000);
    expect(botMessages(telegram, TG_TOKEN, 4242)[0]?.text).toMatch(/không thể sử dụng/);
    expect(zalo.sent.length).toBe(before);
  });
});
