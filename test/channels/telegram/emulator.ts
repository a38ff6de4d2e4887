/** Starts telegram-test-api on 127.0.0.1 on a free port, with helpers to read what the bot sent. */
import { createServer } from "node:net";
// The package entry replaces module.exports, which TypeScript cannot see; import the class directly.
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";

/** A bot message as the emulator stores it. */
export interface BotMessage {
  messageId: number;
  text: string;
  replyMarkup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
}

/** A free TCP port on 127.0.0.1 (telegram-test-api treats port 0 as its default 9000). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no port");
  return address.port;
}

/** A running emulator. */
export type Emulator = TelegramServer;

/** Starts the emulator. */
export async function startEmulator(): Promise<Emulator> {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 600 });
  await server.start();
  return server;
}

/** Every message the bot sent to `chatId`, in order, as currently stored (edits included). */
export function botMessages(server: Emulator, token: string, chatId = 1): BotMessage[] {
  return server.storage.botMessages
    .filter((m) => m.botToken === token && String(m.message.chat_id) === String(chatId))
    .map((m) => ({
      messageId: m.messageId,
      text: String(m.message.text),
      replyMarkup: m.message.reply_markup as BotMessage["replyMarkup"],
    }));
}

/** Waits (bounded) until `check` returns a value, re-checking every 20 ms. */
export async function waitFor<T>(_server: Emulator, check: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("emulator: timed out waiting");
    // The emulator's own wait helpers leave listeners behind when they lose a race: poll instead.
    await new Promise((r) => setTimeout(r, 20));
  }
}
