/**
 * The real engine (runner, flows, renderer, session store on the real database) behind both
 * platform adapters in polling mode: telegraf against telegram-test-api and the Zalo channel
 * against the fake Zalo API. Actions are stubs here; the app's own end-to-end tests use the real ones.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { createZaloChannel, type ZaloChannel } from "../../src/channels/zalo/zalo-channel.js";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { validators } from "../../src/domain/validators/index.js";
import type { ActionRegistry } from "../../src/engine/actions.js";
import { loadFlows } from "../../src/runtime/load-flows.js";
import { createRunner } from "../../src/runtime/runner.js";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { createRendererFromResources } from "../../src/i18n/renderer.js";
import { silentLogger } from "../../src/shared/logger.js";
import { createMetrics, type Metrics } from "../../src/server/metrics.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";
import { openTestDatabase } from "../helpers/db.js";
import { botMessages, startEmulator, waitFor, type Emulator } from "./telegram/emulator.js";
import { realUnderstanding } from "../understand/build.js";
import { translate } from "./translate.js";

const TELEGRAM_TOKEN = "112233445:AAH-real-engine-channel-test";
const ZALO_TOKEN = "998877:real-engine-zalo-token";
const root = resolve(import.meta.dirname, "..", "..");

describe("the real engine through the Telegram and Zalo adapters", () => {
  let emulator: Emulator;
  let zalo: FakeZaloServer;
  let db: Database;
  let metrics: Metrics;
  let telegram: TelegramChannel;
  let zaloChannel: ZaloChannel;
  // Expected strings come from the locale files, so content edits do not break these tests.
  const t = { menuVi: "", menuEn: "", languageEntry: "", english: "", changedEn: "", welcomeMenuVi: "", hintVi: "", languagePrompt: "" };

  beforeAll(async () => {
    emulator = await startEmulator();
    zalo = await startFakeZaloServer({ token: ZALO_TOKEN, pollHoldMs: 100 });
    db = await openTestDatabase("channels_real_engine");
    const renderer = createRendererFromResources(loadLocales(resolve(root, "locales")), "Asia/Ho_Chi_Minh");
    t.menuVi = renderer.render({ key: "common:menu.text" }, "vi");
    t.menuEn = renderer.render({ key: "common:menu.text" }, "en");
    // The welcome and the menu arrive as one bubble (foldMessages).
    t.welcomeMenuVi = `${renderer.render({ key: "common:welcome" }, "vi")}\n\n${t.menuVi}`;
    t.languageEntry = renderer.render({ key: "common:menu.language" }, "vi");
    t.hintVi = renderer.render({ key: "common:understand.hint" }, "vi");
    t.languagePrompt = renderer.render({ key: "common:language.prompt" }, "vi");
    t.english = renderer.render({ key: "common:language.en" }, "vi");
    // The closing line of the language flow leads the main menu's bubble.
    t.changedEn = `${renderer.render({ key: "common:language.changed" }, "en")}\n\n${t.menuEn}`;
    // Every action the flows name answers "ok" with nothing: these tests are about the adapters.
    const { flows, problems } = loadFlows(resolve(root, "flows"), {
      validatorNames: Object.keys(validators),
      actionNames: [],
      hasKey: (key, locale) => renderer.hasKey(key, locale),
    });
    const actionNames = problems.flatMap((p) => /unknown action "([^"]+)"/.exec(p.message)?.[1] ?? []);
    const actions: ActionRegistry = Object.fromEntries(actionNames.map((name) => [name, async () => ({})]));
    const logger = silentLogger;
    const bot = createRunner({
      flows,
      store: createMongoSessionStore(db),
      actions,
      validators,
      renderer,
      isStaff: async () => false,
      now: () => new Date(),
      logger,
      defaultLocale: "vi",
      timeZone: "Asia/Ho_Chi_Minh",
      understanding: realUnderstanding(),
    });
    metrics = createMetrics();
    telegram = createTelegramChannel({ token: TELEGRAM_TOKEN, apiRoot: emulator.config.apiURL, bot, metrics, logger, translate, idlePollDelayMs: 20 });
    zaloChannel = createZaloChannel({ token: ZALO_TOKEN, apiBase: zalo.apiBase, bot, metrics, logger });
    await telegram.start();
    await zaloChannel.start();
  });

  afterAll(async () => {
    await telegram?.stop();
    await zaloChannel?.stop();
    await db?.close();
    await zalo?.close();
    await emulator?.stop();
  });

  it("Telegram: /start shows the main menu as buttons; presses switch the language to English", async () => {
    const client = emulator.getClient(TELEGRAM_TOKEN, { userId: 501, chatId: 501, timeout: 5_000 });
    const messages = () => botMessages(emulator, TELEGRAM_TOKEN, 501);
    const keyboards = (n: number) => () => {
      const m = messages().filter((x) => x.replyMarkup?.inline_keyboard.some((row) => row.some((b) => b.callback_data !== "~")));
      return m.length >= n ? m : undefined;
    };

    await client.sendCommand(client.makeCommand("/start"));
    const [menu] = await waitFor(emulator, keyboards(1), 15_000);
    expect(menu?.text).toBe(t.welcomeMenuVi);
    const buttons = menu?.replyMarkup?.inline_keyboard.flat() ?? [];
    expect(buttons.map((b) => b.text)).toContain(t.languageEntry);
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data ?? "")).toBeLessThanOrEqual(64);

    const language = buttons.find((b) => b.text === t.languageEntry);
    await client.sendCallback(
      client.makeCallbackQuery(language?.callback_data ?? "", { message: { message_id: menu?.messageId, reply_markup: menu?.replyMarkup } }),
    );
    const prompt = await waitFor(emulator, () => messages().find((m) => m.replyMarkup?.inline_keyboard.flat().some((b) => b.text === t.english)), 15_000);
    const english = prompt.replyMarkup?.inline_keyboard.flat().find((b) => b.text === t.english);
    await client.sendCallback(
      client.makeCallbackQuery(english?.callback_data ?? "", { message: { message_id: prompt.messageId, reply_markup: prompt.replyMarkup } }),
    );
    const englishMenu = await waitFor(emulator, () => messages().find((m) => m.text === t.changedEn), 15_000);
    expect(englishMenu.replyMarkup?.inline_keyboard.flat().length).toBe(buttons.length);
    // Both pressed keyboards were marked: only the taken choice remains, inert.
    expect(messages().find((m) => m.messageId === menu?.messageId)?.replyMarkup?.inline_keyboard).toEqual([
      [{ text: `✓ ${t.languageEntry}`, callback_data: "~" }],
    ]);
    expect(messages().find((m) => m.messageId === prompt.messageId)?.replyMarkup?.inline_keyboard).toEqual([
      [{ text: `✓ ${t.english}`, callback_data: "~" }],
    ]);
  });

  it("Zalo: /start shows the main menu as a numbered list; its number and then a typed label work", async () => {
    const menuLine = new RegExp(`\\n(\\d+)\\. ${escape(t.languageEntry)}`);
    zalo.pushUpdate(zalo.textUpdate("zu-1", "/start"));
    await zalo.waitForCalls(() => zalo.sent.some((m) => menuLine.test(m.text)), 15_000);
    const menu = zalo.sent.find((m) => menuLine.test(m.text));
    expect(menu?.text.startsWith(`${t.welcomeMenuVi}\n\n1. `)).toBe(true);
    zalo.pushUpdate(zalo.textUpdate("zu-1", menuLine.exec(menu?.text ?? "")?.[1] ?? "0"));
    await zalo.waitForCalls(() => zalo.sent.some((m) => m.text.includes(`. ${t.english}`)), 15_000);
    zalo.pushUpdate(zalo.textUpdate("zu-1", "english"));
    await zalo.waitForCalls(() => zalo.sent.some((m) => m.text.startsWith(`${t.changedEn}\n\n1. `)), 15_000);
    expect(zalo.sent.every((m) => m.chatId === "zu-1" && m.text.length <= 2000)).toBe(true);
  });

  it("Telegram: after an answer the one-line hint keeps the main menu's buttons, and pressing one opens that entry", async () => {
    const client = emulator.getClient(TELEGRAM_TOKEN, { userId: 502, chatId: 502, timeout: 5_000 });
    const messages = () => botMessages(emulator, TELEGRAM_TOKEN, 502);
    await client.sendCommand(client.makeCommand("/start"));
    const menu = await waitFor(emulator, () => messages().find((m) => m.text === t.welcomeMenuVi), 15_000);
    const menuButtons = menu.replyMarkup?.inline_keyboard.flat().map((b) => b.text) ?? [];
    await client.sendMessage(client.makeMessage("cảm ơn"));
    const hint = await waitFor(emulator, () => messages().find((m) => m.text.endsWith(t.hintVi)), 15_000);
    // Only the hint line after the answer, not the menu's text; the menu's choices ride on it as buttons.
    expect(hint.text).not.toContain(t.menuVi);
    expect(hint.replyMarkup?.inline_keyboard.flat().map((b) => b.text)).toEqual(menuButtons);
    const language = hint.replyMarkup?.inline_keyboard.flat().find((b) => b.text === t.languageEntry);
    await client.sendCallback(
      client.makeCallbackQuery(language?.callback_data ?? "", { message: { message_id: hint.messageId, reply_markup: hint.replyMarkup } }),
    );
    const prompt = await waitFor(emulator, () => messages().find((m) => m.replyMarkup?.inline_keyboard.flat().some((b) => b.text === t.english)), 15_000);
    expect(prompt.text).toContain(t.languagePrompt);
  });

  it("Zalo: after an answer only the one-line hint follows, with no numbered menu", async () => {
    zalo.pushUpdate(zalo.textUpdate("zu-2", "/start"));
    await zalo.waitForCalls(() => zalo.sent.some((m) => m.chatId === "zu-2" && m.text.startsWith(t.welcomeMenuVi)), 15_000);
    zalo.pushUpdate(zalo.textUpdate("zu-2", "cam on"));
    await zalo.waitForCalls(() => zalo.sent.some((m) => m.chatId === "zu-2" && m.text.endsWith(t.hintVi)), 15_000);
    const hint = zalo.sent.find((m) => m.chatId === "zu-2" && m.text.endsWith(t.hintVi));
    expect(hint?.text).not.toMatch(/\n\d+\. /);
    expect(hint?.text).not.toContain(t.languageEntry);
  });

  it("counts both channels' traffic, with no handler errors", async () => {
    const text = await metrics.render();
    for (const channel of ["telegram", "zalo"]) {
      expect(text).toMatch(new RegExp(`bot_updates_handled_total\\{channel="${channel}"\\} [1-9]`));
      expect(text).toMatch(new RegExp(`bot_messages_sent_total\\{channel="${channel}"\\} [1-9]`));
    }
    expect(text).not.toMatch(/bot_handler_errors_total\{channel="(telegram|zalo)"\} [1-9]/);
  });
});

/** Escapes a literal for use in a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
