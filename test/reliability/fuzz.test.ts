/**
 * Fuzz: 2,000 random inputs — Unicode of every plane, emoji sequences, right-to-left text and
 * bidi overrides, control characters, 10,000-character strings, JSON and `{"$gt": ""}` shapes,
 * commands with junk arguments, callback data that was never issued — at every input-taking
 * step of every flow, posted as Telegram updates to the real webhook (HTTP, schema check, inbox,
 * per-chat queue, runner, real database); replies are read from the fake Bot API. Checks, for each input:
 * no exception or unhandled rejection; every reply text and button label is a rendering of a
 * key in `locales/`; an accepted ask answer is stored exactly as typed (NFC, whitespace as the
 * validator documents); no query operator from the input reaches the database.
 * The generator is seeded (FUZZ_SEED) and draws every input up front, so a failure can be
 * replayed (FUZZ_INPUTS changes how many); six lanes of distinct users run at once. Bounded by
 * count (inputs, and waits of so many checks), never by the clock. A second test posts malformed
 * update bodies: each gets a bare 2xx/4xx, never a 5xx or internal text.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import mongoose from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { INTENTS_FILE } from "../../src/runtime/load-intents.js";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { createApp, type App } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { registerModels } from "../../src/db/models/index.js";
import { readLatestSession, revisionId } from "../../src/db/session-store.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { validators } from "../../src/domain/validators/index.js";
import { ANSWERED_CALLBACK_DATA } from "../../src/channels/telegram/telegram-delivery.js";
import type { Incoming } from "../../src/engine/messages.js";
import { newSession } from "../../src/engine/session.js";
import { createLogger } from "../../src/log.js";
import { botEnv, capturedLogs, logFile, root, startFake, startOwnDatabase, TOKEN, WEBHOOK_SECRET, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

const TOTAL_INPUTS = Number(process.env.FUZZ_INPUTS ?? 2_000);
const MALFORMED = Number(process.env.FUZZ_MALFORMED ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_125);
/** Inputs run in this many independent lanes (distinct users) at once, like concurrent users. */
const LANES = 6;
const staffUser = (lane: number) => String(990_000_001 + lane);

// ---------- seeded generator ----------
let state = SEED >>> 0;
function rand(): number {
  // mulberry32
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** A code point from any plane (surrogates excluded: no platform delivers a lone one). */
function anyCodePoint(): string {
  const plane = pick([0, 0, 0, 1, 1, 2, 3, 14, 15, 16]);
  for (;;) {
    const cp = plane * 0x10000 + int(0, 0xffff);
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    return String.fromCodePoint(cp);
  }
}

const EMOJI = ["😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇻🇳", "❤️", "🧑🏿‍💻", "🫠", "1️⃣", "©️", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"];
const RTL = ["مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "\u2067abc\u2069", "\u200fRLM", "عربي 123 English"];
const CONTROL = ["\u0000", "\u0001", "\u0007", "\b", "\t", "\n", "\r", "\u001b[31m", "\u007f", "\u0085", "\u200b", "\u200d", "\ufeff", "\u2028", "\u2029"];
const JSONISH = ['{"$gt": ""}', '{"$ne": null}', '{"$where": "sleep(100)"}', '[{"$regex": ".*"}]', '{"__proto__": {"isStaff": true}}', '{"constructor": {"prototype": {}}}', "null", "[]", "{}", '{"_id": {"$gt": ""}}', "$gt", "$where", "a.b.c", "{{key}}", "%s%n%x", "'; DROP TABLE x; --"];
const COMMANDS = ["/start", "/help", "/cancel", "/lang", "/menu", "/policies", "/unknown", "/", "//", "/start@bench_bot", "/\u0000"];
const VIETNAMESE = ["Nguyễn Văn A", "Công ty TNHH Ánh Dương", "Khánh Hòa", "Trần Phú, Nha Trang", "Đăng ký", "đăng ky", "Có", "không"];

/** A plausible valid answer, so forms move on and later steps get inputs too. */
function plausible(): string {
  return pick(["0100109106", "0300588569-001", "0912345678", "+84 912 345 678", "ten@example.vn", "Nguyễn Thị Ánh", "Công ty Cổ phần Biển Xanh", "12 Trần Phú, Nha Trang", "Giám đốc", "yes", "1", "2", "Có", "-"]);
}

/** One fuzz text. */
function fuzzText(): string {
  switch (int(0, 9)) {
    case 0:
      return Array.from({ length: int(1, 40) }, anyCodePoint).join("");
    case 1:
      return Array.from({ length: int(1, 8) }, () => pick(EMOJI)).join(pick(["", " ", "\u200d"]));
    case 2:
      return pick(RTL) + pick(["", " ", pick(VIETNAMESE)]);
    case 3:
      return pick(VIETNAMESE) + pick(CONTROL) + pick(VIETNAMESE);
    case 4:
      return pick(["a", "Ư", "😀", "x ", "\u0301"]).repeat(int(9_000, 10_000)).slice(0, 10_000);
    case 5:
      return pick(JSONISH);
    case 6:
      return `${pick(COMMANDS)} ${Array.from({ length: int(1, 30) }, anyCodePoint).join("")} ${pick(JSONISH)}`;
    case 7:
      // Decomposed Vietnamese (NFD) must be stored as NFC.
      return pick(VIETNAMESE).normalize("NFD");
    case 8:
      return pick(["", " ", "   \n\t ", "\u3000"]);
    default:
      return plausible();
  }
}

/** A callback id that was (almost certainly) never issued. */
function fuzzChoiceId(): string {
  return pick(["~", "", "x".repeat(64), "yes;DROP", "../../etc", '{"$gt":""}', "😀", "back\u0000", "done ", "enterprise_" + int(0, 999), Array.from({ length: int(1, 20) }, anyCodePoint).join("")]);
}

// ---------- locale templates ----------
interface Templates {
  /** Texts without parameters, as they render. */
  literal: Set<string>;
  /** Texts with parameters: literal head and tail (for a cheap pre-check) and the full pattern. */
  patterns: { prefix: string; suffix: string; regex: RegExp }[];
}

function flatten(obj: unknown, out: string[]): void {
  if (typeof obj === "string") out.push(obj);
  else if (obj && typeof obj === "object") for (const v of Object.values(obj)) flatten(v, out);
}

function loadTemplates(): Templates {
  const texts: string[] = [];
  for (const lang of ["vi", "en"]) {
    const dir = join(root, "locales", lang);
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) flatten(JSON.parse(readFileSync(join(dir, f), "utf8")), texts);
  }
  const out: Templates = { literal: new Set(), patterns: [] };
  for (const t of new Set(texts)) {
    const parts = t.split(/\{\{[^}]+\}\}|\$t\([^)]*\)/);
    if (parts.length === 1) {
      out.literal.add(t);
      continue;
    }
    const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    out.patterns.push({ prefix: parts[0] ?? "", suffix: parts[parts.length - 1] ?? "", regex: new RegExp(`^${escaped.join("[\\s\\S]*?")}$`) });
  }
  return out;
}

/** True when `text` is one or more renderings of locale templates joined by blank lines. */
function isRendering(text: string, templates: Templates): boolean {
  const parts = text.split("\n\n");
  const ok: boolean[] = new Array(parts.length + 1).fill(false);
  ok[0] = true;
  for (let i = 0; i < parts.length; i += 1) {
    if (!ok[i]) continue;
    for (let j = i + 1; j <= parts.length; j += 1) {
      const piece = parts.slice(i, j).join("\n\n");
      if (templates.literal.has(piece) || templates.patterns.some((t) => piece.startsWith(t.prefix) && piece.endsWith(t.suffix) && t.regex.test(piece))) ok[j] = true;
    }
  }
  return ok[parts.length] === true;
}

// ---------- database command watch ----------
function containsObject(haystack: unknown, needle: Record<string, unknown>): boolean {
  if (!haystack || typeof haystack !== "object") return false;
  const h = haystack as Record<string, unknown>;
  const keys = Object.keys(needle);
  if (keys.length > 0 && keys.every((k) => k in h && JSON.stringify(h[k]) === JSON.stringify(needle[k]))) return true;
  return Object.values(h).some((v) => containsObject(v, needle));
}

function hasKey(haystack: unknown, key: string): boolean {
  if (!haystack || typeof haystack !== "object") return false;
  return Object.entries(haystack as Record<string, unknown>).some(([k, v]) => k === key || hasKey(v, key));
}

// ---------- set-up ----------
let server: OwnDatabase;
let fake: FakeBotApi;
let app: App;
let db: Database;
const commands: unknown[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

interface InputStep {
  flow: string;
  step: string;
  type: string;
  staff: boolean;
  validator?: string;
  store?: string;
}

function inputSteps(): InputStep[] {
  const out: InputStep[] = [];
  for (const f of readdirSync(join(root, "flows")).filter((n) => n.endsWith(".yaml") && n !== INTENTS_FILE)) {
    const flow = parse(readFileSync(join(root, "flows", f), "utf8")) as { id: string; staff?: boolean; steps: { id: string; type: string; validator?: string; store?: string }[] };
    for (const s of flow.steps) {
      if (["ask", "menu", "confirm"].includes(s.type)) out.push({ flow: flow.id, step: s.id, type: s.type, staff: flow.staff === true, ...(s.validator ? { validator: s.validator } : {}), ...(s.store ? { store: s.store } : {}) });
    }
  }
  return out;
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  const uri = withDatabaseName(server.uri, "fuzz");
  // The app's own models on a connection that reports every command it sends.
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000, monitorCommands: true, autoIndex: false });
  await connection.asPromise();
  connection.getClient().on("commandStarted", (event) => commands.push(event.command));
  const models = registerModels(connection);
  await Promise.all(Object.values(models).map((m) => m.createIndexes()));
  db = { connection, models, defaultLocale: "vi", ping: async () => true, close: () => connection.close() };
  const parsed = parseConfig({ ...botEnv({ mongoUri: uri, apiRoot: fake.apiRoot }), STAFF_IDS: Array.from({ length: LANES }, (_, l) => `telegram:${staffUser(l)}`).join(",") });
  if (!parsed.ok) throw new Error("config");
  app = await createApp({ config: parsed.config, db, logger: createLogger({ level: "debug", file: logFile("fuzz") }) });
  await app.start();
});

// ---------- the webhook path ----------
let nextUpdateId = 1;
const post = (body: unknown) =>
  fetch(`http://127.0.0.1:${app.httpPort}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** The Telegram update a user's input arrives as. */
function updateFor(incoming: Incoming, updateId: number): Record<string, unknown> {
  const id = Number(incoming.user.userId);
  const from = { id, is_bot: false, first_name: "Fuzz", language_code: "vi" };
  const chat = { id, type: "private", first_name: "Fuzz" };
  const date = Math.floor(Date.now() / 1000);
  if (incoming.kind === "choice") {
    // A fresh message id: a keyboard can be answered once, and this is always a "new" one.
    return { update_id: updateId, callback_query: { id: `q${updateId}`, from, chat_instance: String(id), data: incoming.choiceId, message: { message_id: updateId, date, chat, text: "…" } } };
  }
  const body = incoming.kind === "text" && incoming.text !== "" ? { text: incoming.text } : { sticker: { file_id: "x", file_unique_id: "x", width: 1, height: 1, is_animated: false, is_video: false, type: "regular" } };
  return { update_id: updateId, message: { message_id: updateId, date, chat, from, ...body } };
}

/** Waits (bounded by count) until the inbox says the update was handled, replies sent. */
async function handled(updateId: number): Promise<boolean> {
  for (let check = 0; check < 1_500; check++) {
    if (await db.models.inboxDone.exists({ _id: `telegram:${updateId}` })) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** Reply texts and button labels the fake Bot API received for a chat since `from`. */
async function repliesSince(chat: string, from: number): Promise<{ texts: string[]; labels: string[]; count: number }> {
  const sends = await fake.sends(chat);
  const fresh = sends.slice(from);
  const labels = fresh.flatMap((s) => (s.markup ? ((JSON.parse(s.markup) as { inline_keyboard?: { text: string }[][] }).inline_keyboard ?? []).flat().map((b) => b.text) : []));
  return { texts: fresh.map((s) => s.text), labels, count: sends.length };
}

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await app?.stop();
  await db?.close();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

describe("fuzz", () => {
  it(`survives ${TOTAL_INPUTS} random inputs at every input step of every flow`, { timeout: 1_800_000 }, async () => {
    const templates = loadTemplates();
    const steps = inputSteps();
    expect(steps.length).toBeGreaterThan(0);
    const problems: string[] = [];
    // One example per (step, kind of problem), so one bug does not hide the others.
    const kinds = new Set<string>();
    const report = (what: string) => {
      const kind = what.replace(/^#\d+ (\S+) .*?: ([a-z ()-]+?)[:,].*$/s, "$1 $2");
      if (kinds.has(kind) || problems.length >= 40) return;
      kinds.add(kind);
      problems.push(what);
    };
    const visited = new Set<string>();

    // Every input is drawn up front, in order, so a seed always replays the same inputs.
    const plan = Array.from({ length: TOTAL_INPUTS }, (_, n) => {
      const l = n % LANES;
      const target = steps[n % steps.length]!;
      const userId = target.staff ? staffUser(l) : String(990_100_000 + l * 100 + (n % 10));
      const locale: "vi" | "en" = rand() < 0.8 ? "vi" : "en";
      const asChoice = target.type !== "ask" ? rand() < 0.5 : rand() < 0.1;
      const text = fuzzText();
      const incoming: Incoming = asChoice
        ? { user: { channel: "telegram", userId }, kind: "choice", choiceId: fuzzChoiceId() }
        : { user: { channel: "telegram", userId }, kind: text === "" && rand() < 0.5 ? "unsupported" : "text", text };
      return { target, userId, locale, incoming };
    });

    const sentSoFar = new Map<string, number>();
    const lane = async (l: number) => {
      for (let n = l; n < TOTAL_INPUTS; n += LANES) {
        const { target, userId, locale, incoming } = plan[n]!;
        const key = `telegram:${userId}`;
        // Put the user at the target step, as if they had got there.
        const session = { ...newSession(locale, new Date()), flow: target.flow, step: target.step };
        // Saved as the next revision, like another process would: the bot's remembered copy is then behind and is read again.
        await db.models.contact.updateOne({ _id: key }, { $set: { channel: "telegram", userId, lastSeenAt: new Date() } }, { upsert: true });
        const rev = (await readLatestSession(db, key)).revision + 1;
        await db.models.sessionRevision.collection.insertOne({ _id: revisionId(key, rev) as never, key, rev, session, at: new Date() });
        const label = `#${n} ${target.flow}/${target.step} ${incoming.kind} ${JSON.stringify((incoming.text ?? incoming.choiceId ?? "").slice(0, 40))}`;
        const before = commands.length;
        const updateId = nextUpdateId++;
        const res = await post(updateFor(incoming, updateId));
        if (res.status !== 200) {
          report(`${label}: webhook answered ${res.status}`);
          continue;
        }
        if (!(await handled(updateId))) {
          report(`${label}: not handled: never marked done`);
          continue;
        }
        const replies = await repliesSince(userId, sentSoFar.get(userId) ?? 0);
        sentSoFar.set(userId, replies.count);
        visited.add(`${target.flow}/${target.step}`);
        // An empty or already-answered callback is only acknowledged (the adapter ignores it); everything else gets a reply.
        const silent = incoming.kind === "choice" && (incoming.choiceId === "" || incoming.choiceId === ANSWERED_CALLBACK_DATA);
        if (replies.texts.length === 0 && !silent) report(`${label}: no reply`);
        for (const text of replies.texts) {
          if (!isRendering(text, templates)) report(`${label}: reply not from locales: ${JSON.stringify(text.slice(0, 120))}`);
          // Internal details (stack frames, error names, unrendered placeholders) — unless the user typed them.
          const leak = /at .+\.(ts|js):\d+|MongoServerError|TypeError|undefined|\{\{/.exec(text);
          if (leak && !(incoming.text ?? "").includes(leak[0])) report(`${label}: internal detail in reply: ${JSON.stringify(text.slice(0, 120))}`);
        }
        for (const labelText of replies.labels) if (!isRendering(labelText, templates)) report(`${label}: label not from locales: ${JSON.stringify(labelText.slice(0, 80))}`);
        // No operator shape from the input reached the database.
        const issued = commands.slice(before);
        if (incoming.kind === "text" && incoming.text) {
          let parsedInput: unknown;
          try {
            parsedInput = JSON.parse(incoming.text);
          } catch {
            parsedInput = undefined;
          }
          if (parsedInput && typeof parsedInput === "object" && !Array.isArray(parsedInput) && Object.keys(parsedInput).some((k) => k.startsWith("$"))) {
            if (issued.some((c) => containsObject(c, parsedInput as Record<string, unknown>))) report(`${label}: the input's operator object reached the database`);
          }
        }
        if (issued.some((c) => hasKey(c, "$where") || hasKey(c, "$function") || hasKey(c, "$accumulator"))) report(`${label}: a JavaScript operator reached the database`);
        // An accepted answer is stored exactly as the validator cleaned it (and text as typed, NFC).
        if (target.type === "ask" && target.validator && target.store && incoming.kind === "text" && incoming.text !== undefined) {
          const validate = validators[target.validator];
          const expected = validate?.(incoming.text.trim(), { locale: "vi", now: new Date(), timeZone: "Asia/Ho_Chi_Minh" });
          if (expected?.ok) {
            const stored = (await readLatestSession(db, key)).value as { flow?: string; data?: Record<string, unknown> } | null;
            if (stored?.flow === target.flow && stored.data && target.store in stored.data) {
              const value = stored.data[target.store];
              if (JSON.stringify(value) !== JSON.stringify(expected.value)) report(`${label}: stored ${JSON.stringify(value)} instead of ${JSON.stringify(expected.value)}`);
              const typed = incoming.text.normalize("NFC").replace(/\s+/g, " ").trim();
              if (typeof value === "string" && ["person_name", "enterprise_name", "address", "job_title", "free_text"].includes(target.validator) && value !== typed) report(`${label}: stored text differs from what was typed (NFC)`);
            }
          }
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
    await new Promise((r) => setTimeout(r, 100));
    for (const reason of unhandled) report(`unhandled rejection: ${String(reason)}`);
    expect(problems, problems.join("\n")).toEqual([]);
    expect(visited.size).toBe(new Set(steps.map((s) => `${s.flow}/${s.step}`)).size);
  });

  it(`answers ${MALFORMED} malformed update bodies with a bare 2xx or 4xx, never a 5xx or internal text`, { timeout: 600_000 }, async () => {
    const shapes: unknown[] = [null, {}, [], 0, -1, 1.5, "", "x", true, { $gt: "" }, [[1]], "a".repeat(5_000)];
    const paths = ["message", "message.chat", "message.chat.id", "message.from", "message.from.id", "message.text", "message.message_id", "update_id", "callback_query", "callback_query.from", "callback_query.data", "callback_query.message", "callback_query.id"];
    const statuses = new Map<number, number>();
    for (let n = 0; n < MALFORMED; n++) {
      const id = 990_500_000 + (n % 20);
      const base: Record<string, unknown> = rand() < 0.5
        ? { update_id: 5_000_000 + n, message: { message_id: n + 1, date: 1, chat: { id, type: "private" }, from: { id, is_bot: false, first_name: "M" }, text: "hi" } }
        : { update_id: 5_000_000 + n, callback_query: { id: `m${n}`, from: { id, is_bot: false, first_name: "M" }, data: "x", message: { message_id: n + 1, date: 1, chat: { id, type: "private" } } } };
      // Replace one or two fields along a path with a wrong shape.
      for (let k = 0, edits = int(1, 2); k < edits; k++) {
        const path = pick(paths).split(".");
        let node = base;
        for (const part of path.slice(0, -1)) {
          if (!node[part] || typeof node[part] !== "object") node[part] = {};
          node = node[part] as Record<string, unknown>;
        }
        node[path[path.length - 1]!] = pick(shapes);
      }
      const raw = rand() < 0.05 ? JSON.stringify(base).slice(0, int(1, 40)) : base;
      const res = await post(raw);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      expect(res.status, JSON.stringify(raw).slice(0, 200)).toBeLessThan(500);
      expect(text, JSON.stringify(raw).slice(0, 200)).toMatch(/^\{"ok":(true|false)\}$/);
    }
    // Most mutations break the schema: refused, and counted.
    const metrics = await app.metrics.render();
    const invalid = Number(/bot_updates_invalid_total\{channel="telegram"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    expect(invalid).toBeGreaterThan(MALFORMED / 4);
    expect([...statuses.keys()].every((s) => s === 200 || s === 400)).toBe(true);
  });

  it("logs hold no tokens or secrets", () => {
    const logs = capturedLogs();
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
    expect(logs).not.toContain("Công ty Cổ phần Biển Xanh");
    expect(logs).not.toContain("ten@example.vn");
  });
});
