/**
 * The conversation driver: N simulated Telegram users complete the enterprise registration
 * (one wrong tax code first), each user's updates sequential, users interleaved. Updates are
 * handed to a telegraf bot in this process (`bot.handleUpdate`), whose outgoing calls go over
 * HTTP to the fake Bot API in its own process. Latency per update is handing it over → the
 * handling promise settled.
 */
import { performance } from "node:perf_hooks";
import { Telegram } from "telegraf";

/** A button of an inline keyboard the bot sent. */
export interface Button {
  text: string;
  callback_data?: string;
}

/** The last message with an inline keyboard the bot sent to one chat. */
interface LastKeyboard {
  messageId: number;
  buttons: Button[];
}

/** Picks a button from the last keyboard; side-specific (callback ids and labels differ). */
export type ButtonMatcher = (button: Button, all: Button[]) => boolean;

/** The choices the script makes, for one side. */
export interface SideChoices {
  menuEnterprise: ButtonMatcher;
  consentYes: ButtonMatcher;
  /** How the enterprise is identified (tax code / personal ID / none), when the side asks it. */
  idKind?: ButtonMatcher;
  sector: ButtonMatcher;
  size: ButtonMatcher;
  interest: ButtonMatcher;
  /** Null when the interests question is single-choice (no "done" press). */
  interestsDone: ButtonMatcher | null;
  confirmYes: ButtonMatcher;
  /** Commands or texts sent before the menu press (default `/start`). */
  opening?: string[];
}

/** What a user types, and what the stored record must therefore contain. */
export interface TypedAnswers {
  name: string;
  badTaxCode: string;
  taxCode: string;
  address: string;
  contactPerson: string;
  phone: string;
  email: string;
}

/** The canonical record expected after the run (as stored by either side). */
export interface ExpectedRecord {
  userId: string;
  name: string;
  taxCode: string;
  address: string;
  contactPerson: string;
  phone: string;
  email: string;
}

/** What one run measured. */
export interface DriverResult {
  users: number;
  updates: number;
  durationMs: number;
  latenciesMs: number[];
  /** Users whose script could not proceed (a button missing, a handler throwing). */
  failures: { userId: string; step: number; reason: string }[];
}

const lastKeyboards = new Map<string, LastKeyboard>();

/** The last inline keyboard the bot sent to `chat` in this process (needs `tapTelegram()`). */
export function lastKeyboard(chat: string): { messageId: number; buttons: Button[] } | undefined {
  return lastKeyboards.get(chat);
}
const tapped = new WeakSet<object>();

/**
 * Watches every Bot API call made through `target` (default: telegraf's `Telegram.prototype`,
 * which every per-update copy shares; the project passes its one bounded instance, whose JSON
 * calls do not go through the prototype) to learn the last inline keyboard per chat, so the
 * driver can press buttons whatever callback ids the bot issues. The calls still go over HTTP
 * to the fake server; this only reads payloads and results.
 */
export function tapTelegram(target: object = Telegram.prototype): void {
  if (tapped.has(target)) return;
  tapped.add(target);
  const calls = target as { callApi: (method: string, payload: Record<string, unknown>, opts?: unknown) => Promise<unknown> };
  const original = calls.callApi;
  calls.callApi = async function (this: unknown, method: string, payload: Record<string, unknown>, opts?: unknown) {
    const result = await original.call(this, method, payload, opts);
    if (method === "sendMessage") {
      const markup = payload.reply_markup as { inline_keyboard?: Button[][] } | undefined;
      const chat = String(payload.chat_id);
      if (markup?.inline_keyboard) {
        lastKeyboards.set(chat, { messageId: (result as { message_id: number }).message_id, buttons: markup.inline_keyboard.flat() });
      }
    } else if (method === "editMessageReplyMarkup") {
      const chat = String(payload.chat_id);
      const markup = payload.reply_markup as { inline_keyboard?: Button[][] } | undefined;
      const last = lastKeyboards.get(chat);
      if (last && Number(payload.message_id) === last.messageId && markup?.inline_keyboard) {
        last.buttons = markup.inline_keyboard.flat();
      }
    }
    return result;
  };
}

/** A valid 10-digit tax code derived from `seed` (check digit per the domain rule). */
export function validTaxCode(seed: number): string {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (let k = seed * 7 + 1; ; k += 1) {
    const nine = String(100_000_000 + (k % 900_000_000)).slice(0, 9);
    let sum = 0;
    for (let i = 0; i < 9; i += 1) sum += Number(nine[i]) * (weights[i] ?? 0);
    const check = 10 - (sum % 11);
    if (check < 10) return `${nine}${check}`;
  }
}

/** The answers user number `i` types (distinct per user so records can be told apart). */
export function answersFor(i: number): TypedAnswers {
  const taxCode = validTaxCode(i);
  const wrongCheck = (Number(taxCode[9]) + 1) % 10;
  return {
    name: `Công ty TNHH Năng Suất ${i}`,
    badTaxCode: `${taxCode.slice(0, 9)}${wrongCheck}`,
    taxCode,
    address: `${i} Trần Phú, Nha Trang, Khánh Hòa`,
    // Person names may not contain digits: the user number is spelled in letters.
    contactPerson: `Nguyễn Thị Ánh ${lettersFor(i)}`,
    phone: `09${String(10_000_000 + i).slice(-8)}`,
    email: `user${i}@example.vn`,
  };
}

/** `i` in base 26 with the letters A–Z (0 → "A", 27 → "BB"). */
function lettersFor(i: number): string {
  let out = "";
  let n = i;
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

/** The record a side must have stored for user `i` (canonical forms). */
export function expectedFor(i: number): ExpectedRecord {
  const a = answersFor(i);
  return { userId: String(userIdFor(i)), name: a.name, taxCode: a.taxCode, address: a.address, contactPerson: a.contactPerson, phone: `+84${a.phone.slice(1)}`, email: a.email };
}

/** Telegram user id of simulated user `i`. */
export function userIdFor(i: number): number {
  return 700_000_000 + i;
}

type Action = { text: string } | { press: ButtonMatcher; what: string };

function scriptFor(i: number, choices: SideChoices): Action[] {
  const a = answersFor(i);
  const opening = (choices.opening ?? ["/start"]).map((text) => ({ text }));
  return [
    ...opening,
    { press: choices.menuEnterprise, what: "menu: enterprise registration" },
    { press: choices.consentYes, what: "consent: yes" },
    { text: a.name },
    ...(choices.idKind ? [{ press: choices.idKind, what: "id kind: tax code" }] : []),
    { text: a.badTaxCode },
    { text: a.taxCode },
    { press: choices.sector, what: "sector" },
    { press: choices.size, what: "size" },
    { text: a.address },
    { text: a.contactPerson },
    { text: a.phone },
    { text: a.email },
    { press: choices.interest, what: "interest" },
    ...(choices.interestsDone ? [{ press: choices.interestsDone, what: "interests: done" }] : []),
    { press: choices.confirmYes, what: "confirm: yes" },
  ];
}

let updateId = 1;

function baseUser(i: number) {
  return { id: userIdFor(i), is_bot: false, first_name: `User${i}`, language_code: "vi" };
}

/** A private-chat text message update from simulated user `i`. */
export function textUpdate(i: number, text: string): Record<string, unknown> {
  const from = baseUser(i);
  const command = /^\/\w+/.exec(text);
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: from.id, type: "private", first_name: from.first_name },
      from,
      text,
      ...(command ? { entities: [{ offset: 0, length: command[0].length, type: "bot_command" }] } : {}),
    },
  };
}

/** A button press (callback query) of simulated user `i` on message `messageId`. */
export function pressUpdate(i: number, messageId: number, data: string, buttons: Button[]): Record<string, unknown> {
  const from = baseUser(i);
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId),
      from,
      chat_instance: String(from.id),
      data,
      message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private", first_name: from.first_name }, from: { id: 1_000_001, is_bot: true, first_name: "Bench Bot" }, text: "…", reply_markup: { inline_keyboard: buttons.map((b) => [b]) } },
    },
  };
}

/**
 * Runs `users` simulated users at once (each sequential) against `handleUpdate`.
 * `firstUser` offsets the user numbers so several runs on one database do not collide.
 */
export async function runConversations(options: {
  users: number;
  firstUser?: number;
  choices: SideChoices;
  handleUpdate: (update: Record<string, unknown>) => Promise<unknown>;
}): Promise<DriverResult> {
  tapTelegram();
  const first = options.firstUser ?? 0;
  const latencies: number[] = [];
  const failures: DriverResult["failures"] = [];
  let updates = 0;

  const runUser = async (i: number): Promise<void> => {
    const script = scriptFor(i, options.choices);
    const chat = String(userIdFor(i));
    for (let step = 0; step < script.length; step += 1) {
      const action = script[step]!;
      let update: Record<string, unknown>;
      if ("text" in action) {
        update = textUpdate(i, action.text);
      } else {
        const keyboard = lastKeyboards.get(chat);
        const button = keyboard?.buttons.find((b) => action.press(b, keyboard.buttons));
        if (!keyboard || !button?.callback_data) {
          failures.push({ userId: chat, step, reason: `no button for ${action.what} (saw: ${keyboard?.buttons.map((b) => `${b.text}=${b.callback_data}`).join(" | ") ?? "no keyboard"})` });
          return;
        }
        update = pressUpdate(i, keyboard.messageId, button.callback_data, keyboard.buttons);
      }
      const started = performance.now();
      try {
        await options.handleUpdate(update);
      } catch (error) {
        failures.push({ userId: chat, step, reason: `handleUpdate threw: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
      latencies.push(performance.now() - started);
      updates += 1;
    }
    lastKeyboards.delete(chat);
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: options.users }, (_, k) => runUser(first + k)));
  return { users: options.users, updates, durationMs: performance.now() - started, latenciesMs: latencies, failures };
}
