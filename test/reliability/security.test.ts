/**
 * Security at the edges, every case through the HTTP webhook of a real bot process
 * (`src/main.ts` as a child): webhook calls without or with a wrong secret get 401 and change
 * nothing; oversized bodies get 413; every staff command from a non-staff user is refused
 * (and the same command from staff is not, so the check can fail); logs hold no personal
 * data or secrets.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { FakeBotApi } from "../../bench/fake-bot-api-process.js";
import { textUpdate } from "../../bench/driver.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { readLatestSession } from "../../src/db/session-store.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { loadLocales } from "../../src/i18n/load-locales.js";
import { capturedLogs, root, startChildBot, startFake, startOwnDatabase, TelegramUser, TOKEN, WEBHOOK_SECRET, type ChildBot, type OwnDatabase, removeTemporaryFiles } from "./harness.js";

const STAFF_INDEX = 99;
let server: OwnDatabase;
let fake: FakeBotApi;
let bot: ChildBot;
let db: Database;

beforeAll(async () => {
  [server, fake] = await Promise.all([startOwnDatabase(), startFake()]);
  const uri = withDatabaseName(server.uri, "security");
  db = await openDatabase(uri);
  bot = await startChildBot({ mongoUri: uri, apiRoot: fake.apiRoot, extra: { STAFF_IDS: `telegram:${700_000_000 + STAFF_INDEX}` } });
});

afterAll(async () => {
  await bot?.kill("SIGTERM");
  await db?.close();
  await fake?.stop();
  await server?.stop();
  removeTemporaryFiles();
});

const webhook = (headers: Record<string, string>, body: string) =>
  fetch(`http://127.0.0.1:${bot.port}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

async function handledCount(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
  return text
    .split("\n")
    .filter((l) => /^bot_updates_(handled|received)_total\{.*channel="telegram"/.test(l))
    .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
}

/** Staff-only flows with a command, read from the flow files themselves. */
function staffCommands(): string[] {
  const dir = join(root, "flows");
  const out: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const flow = parse(readFileSync(join(dir, file), "utf8")) as { staff?: boolean; command?: string };
    if (flow.staff && flow.command) out.push(flow.command);
  }
  return out.sort();
}

describe("webhook secret and body limit", () => {
  it("answers 401 to a missing or wrong secret and processes nothing", async () => {
    const before = await handledCount();
    const update = JSON.stringify(textUpdate(50, "/start"));
    expect((await webhook({}, update)).status).toBe(401);
    expect((await webhook({ "x-telegram-bot-api-secret-token": "wrong-secret-wrong-secret" }, update)).status).toBe(401);
    expect((await webhook({ "x-telegram-bot-api-secret-token": `${WEBHOOK_SECRET}x` }, update)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await fake.sends(String(700_000_050))).toEqual([]);
    expect(await handledCount()).toBe(before);
    // The right secret is accepted (so the 401s above are about the secret, not the request).
    const ok = await webhook({ "x-telegram-bot-api-secret-token": WEBHOOK_SECRET }, JSON.stringify(textUpdate(51, "/start")));
    expect(ok.status).toBe(200);
  });

  it("answers 413 to an oversized body and processes nothing", async () => {
    const before = await fake.sends(String(700_000_052));
    const huge = JSON.stringify({ ...textUpdate(52, "x".repeat(2 * 1024 * 1024)) });
    const res = await webhook({ "x-telegram-bot-api-secret-token": WEBHOOK_SECRET }, huge);
    expect(res.status).toBe(413);
    await new Promise((r) => setTimeout(r, 300));
    expect(await fake.sends(String(700_000_052))).toEqual(before);
  });
});

describe("staff commands", () => {
  it("are refused, each one, for a non-staff user — and accepted for staff", async () => {
    const commands = staffCommands();
    expect(commands.length, "no staff flows with commands found in flows/").toBeGreaterThan(0);
    const refusal = ((loadLocales(join(root, "locales")).vi.common as { errors: Record<string, string> }).errors).not_allowed!;
    const deliver = (u: Record<string, unknown>) => bot.post(u);
    const outsider = new TelegramUser(60, fake, deliver);
    const staff = new TelegramUser(STAFF_INDEX, fake, deliver);
    await outsider.say("/start");
    await staff.say("/start");
    for (const command of commands) {
      for (const text of [`/${command}`, `/${command} junk 123 {"$gt": ""}`, `/${command}@bench_bot`]) {
        const answer = (await outsider.say(text)).map((s) => s.text).join("\n");
        expect(answer, `${text} from a non-staff user`).toContain(refusal);
      }
      const staffAnswer = (await staff.say(`/${command}`)).map((s) => s.text).join("\n");
      expect(staffAnswer, `/${command} from staff`).not.toContain(refusal);
      await staff.say("/cancel");
    }
    const session = (await readLatestSession(db, `telegram:${700_000_060}`)).value as { flow?: string | null } | null;
    const flowFiles = readdirSync(join(root, "flows")).map((f) => parse(readFileSync(join(root, "flows", f), "utf8")) as { id: string; staff?: boolean });
    const staffFlowIds = flowFiles.filter((f) => f.staff).map((f) => f.id);
    expect(staffFlowIds).not.toContain(session?.flow);
  });
});

describe("logs", () => {
  it("hold no tokens or webhook secrets", async () => {
    // Stopped first, so its log file is complete and its stderr captured.
    await bot.kill("SIGTERM");
    const logs = capturedLogs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(TOKEN.split(":")[1]);
    expect(logs).not.toContain(WEBHOOK_SECRET);
    expect(logs).not.toContain("wrong-secret-wrong-secret");
  });
});
