/**
 * Shared set-up for the reliability suite: a database server of the test's own (so it can be
 * stopped and restarted on the same data dir and port), the fake Bot API in its own process,
 * the bot in this process (`createApp`) or as a real child process (`src/main.ts`), simulated
 * Telegram users, and the captured logs of everything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeBotApi, type FakeBotApi, type FakeSend } from "../../bench/fake-bot-api-process.js";
import { pressUpdate, textUpdate, type Button } from "../../bench/driver.js";
import { createApp, type App } from "../../src/app.js";
import type { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { parseConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { freePort, startLocalServer, type LocalServer } from "../../src/db/local-server.js";
import { withDatabaseName } from "../../src/db/uri.js";
import { createLogger } from "../../src/log.js";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The fake token and webhook secret: both must never appear in any log. */
export const TOKEN = "987654:RELIABILITYtokenNOTreal0123456789";
export const WEBHOOK_SECRET = "reliability-secret-abcdef0123456789";

/** Every log file of this test process goes under one directory, scanned by `capturedLogs()`. */
const logDir = mkdtempSync(join(tmpdir(), "nscl-reliability-logs-"));
const temporary: string[] = [logDir];

/** Removes this file's log and database directories; call last in `afterAll`. */
export function removeTemporaryFiles(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.once("exit", removeTemporaryFiles);

/** All log text written by the bots of this test file so far (files and child stderr). */
export function capturedLogs(): string {
  return readdirSync(logDir)
    .map((f) => readFileSync(join(logDir, f), "utf8"))
    .join("\n");
}

/** A new log file path in the captured directory. */
export function logFile(name: string): string {
  mkdirSync(logDir, { recursive: true });
  return join(logDir, `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}.log`);
}

/** A database server of the test's own, restartable on the same data dir and port. */
export interface OwnDatabase {
  readonly uri: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Stalls the server (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Lets a stalled server go on (SIGCONT). */
  resume(): void;
}

/** Starts a database server on a fixed port and data dir so `restart()` brings back the same data. */
export async function startOwnDatabase(): Promise<OwnDatabase> {
  if (process.env.MONGODB_URI) throw new Error("the reliability suite starts its own database server; unset MONGODB_URI");
  const dataDir = mkdtempSync(join(tmpdir(), "nscl-reliability-db-"));
  const port = await freePort();
  let server: LocalServer | undefined = await startLocalServer({ dataDir, port });
  const uri = server.uri;
  // The data dir outlives stop() (restart() needs it); removeTemporaryFiles() takes it.
  temporary.push(dataDir);
  return {
    uri,
    async stop() {
      await server?.stop();
      server = undefined;
    },
    async restart() {
      server = await startLocalServer({ dataDir, port });
    },
    pause() {
      if (!server?.pid) throw new Error("the database server has no process to stall");
      process.kill(server.pid, "SIGSTOP");
    },
    resume() {
      if (server?.pid) process.kill(server.pid, "SIGCONT");
    },
  };
}

/** Starts the fake Telegram Bot API (own process, bounded lifetime). */
export function startFake(): Promise<FakeBotApi> {
  return startFakeBotApi({ maxLifetimeS: 600 });
}

/** The environment of a bot in webhook mode against the fake server. */
export function botEnv(options: { mongoUri: string; apiRoot: string; extra?: Record<string, string> }): Record<string, string> {
  return {
    MONGODB_URI: options.mongoUri,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: options.apiRoot,
    TELEGRAM_WEBHOOK_URL: "https://bot.example.invalid/webhooks/telegram",
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TERMINAL: "off",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "debug",
    ...options.extra,
  };
}

/** A bot running in this process, built by `createApp` exactly as `main.ts` builds it. */
export interface InProcessBot {
  readonly app: App;
  readonly db: Database;
  readonly port: number;
  /** Hands one update to the channel's telegraf instance; resolves when handled. */
  handleUpdate(update: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the app in this process (webhook mode, HTTP on a free port, logs captured). */
export async function startInProcessBot(options: { mongoUri: string; apiRoot: string; dbName: string; extra?: Record<string, string> }): Promise<InProcessBot> {
  const uri = withDatabaseName(options.mongoUri, options.dbName);
  const parsed = parseConfig(botEnv({ mongoUri: uri, apiRoot: options.apiRoot, ...(options.extra ? { extra: options.extra } : {}) }));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.variable} ${p.message}`).join("; "));
  const logger = createLogger({ level: parsed.config.LOG_LEVEL, file: logFile("in-process") });
  const db = await openDatabase(uri, { serverSelectionTimeoutMS: 3_000, operationTimeoutMS: parsed.config.DB_TIMEOUT_MS });
  const app = await createApp({ config: parsed.config, db, logger });
  await app.start();
  const channel = app.channels.get("telegram") as TelegramChannel;
  return {
    app,
    db,
    port: app.httpPort ?? 0,
    handleUpdate: async (update) => void (await channel.telegraf.handleUpdate(update as never)),
    async stop() {
      await app.stop();
      await db.close().catch(() => undefined);
      logger.flush();
      await new Promise((r) => setTimeout(r, 50));
    },
  };
}

/**
 * Delivers updates to a bot's webhook over HTTP and resolves once the inbox (in `db`) says the
 * update was handled — per update, so many users can talk at once. A 503 (backlog full) is
 * retried after a pause, as the platform would; bounded by count.
 */
export function webhookDelivery(port: number, db: Database): (update: Record<string, unknown>) => Promise<void> {
  return async (update) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        body: JSON.stringify(update),
      });
      if (res.status === 200) break;
      if (res.status !== 503 || attempt >= 50) throw new Error(`webhook answered ${res.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (let check = 0; check < 3_000; check++) {
      if (await db.models.inboxDone.exists({ _id: `telegram:${String(update.update_id)}` })) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error("update not handled after 3,000 checks");
  };
}

/** A bot running as a real child process (`tsx src/main.ts`), driven through its webhook. */
export interface ChildBot {
  readonly port: number;
  readonly child: ChildProcess;
  /** POSTs an update to the webhook and waits (bounded) until the bot finished handling it. */
  post(update: Record<string, unknown>): Promise<void>;
  metric(name: string): Promise<number>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts `src/main.ts` with the bot environment and waits for `/readyz`. */
export async function startChildBot(options: { mongoUri: string; apiRoot: string; extra?: Record<string, string> }): Promise<ChildBot> {
  const port = await freePort();
  const env = { ...botEnv({ mongoUri: options.mongoUri, apiRoot: options.apiRoot, ...(options.extra ? { extra: options.extra } : {}) }), PORT: String(port), LOG_FILE: logFile("child") };
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "src", "main.ts")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const stderrFile = logFile("child-stderr");
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`child bot did not become ready: ${stderr.slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    let total = 0;
    for (const line of text.split("\n")) if (line.startsWith(`${name}{`) && line.includes('channel="telegram"')) total += Number(line.split(" ").pop());
    return total;
  };
  const done = async () => (await metric("bot_updates_handled_total")) + (await metric("bot_handler_errors_total"));
  return {
    port,
    child,
    metric,
    async post(update) {
      const before = await done();
      const res = await fetch(`${base}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
        body: JSON.stringify(update),
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      const until = Date.now() + 20_000;
      while ((await done()) <= before) {
        if (Date.now() > until) throw new Error("update not handled within 20 s");
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      const { writeFileSync } = await import("node:fs");
      writeFileSync(stderrFile, stderr);
    },
  };
}

/**
 * A simulated Telegram user talking to a bot through `deliver` (in-process handleUpdate or a
 * child's webhook), reading the bot's answers from the fake server.
 */
export class TelegramUser {
  private seen = 0;
  /** Everything sent to this chat as of the last answer (only the bot writes to it in between). */
  private known: FakeSend[] | undefined;

  constructor(
    readonly index: number,
    private readonly fake: FakeBotApi,
    private deliver: (update: Record<string, unknown>) => Promise<void>,
  ) {}

  get chatId(): string {
    return String(700_000_000 + this.index);
  }

  /** Switches to another bot process (a conversation moving between processes). */
  via(deliver: (update: Record<string, unknown>) => Promise<void>): this {
    this.deliver = deliver;
    return this;
  }

  /** Every message the bot sent to this user so far. */
  all(): Promise<FakeSend[]> {
    return this.fake.sends(this.chatId);
  }

  /** Apologies that ask the user to try again; `retrying()` retries the step when one comes. */
  private apologies: string[] = [];
  /** How many times this user had to try a step again. */
  retries = 0;

  /** Behave like a person: when the bot apologises and asks to try again, do (up to 3 times). */
  retrying(apologies: string[]): this {
    this.apologies = apologies;
    return this;
  }

  private async withRetry(step: () => Promise<FakeSend[]>): Promise<FakeSend[]> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await step();
      if (attempt >= 3 || !answer.some((m) => this.apologies.some((a) => m.text.includes(a)))) return answer;
      this.retries += 1;
    }
  }

  /** Sends text; returns the messages the bot answered with. */
  async say(text: string): Promise<FakeSend[]> {
    return this.withRetry(async () => {
      await this.deliver(textUpdate(this.index, text));
      return this.fresh();
    });
  }

  /** Presses the button of the bot's last keyboard whose callback data is `data`. */
  async press(data: string): Promise<FakeSend[]> {
    return this.withRetry(() => this.pressOnce(data));
  }

  private async pressOnce(data: string): Promise<FakeSend[]> {
    const sends = this.known ?? (await this.all());
    const last = [...sends].reverse().find((s) => s.markup.includes("inline_keyboard"));
    if (!last) throw new Error("no keyboard to press");
    const buttons = (JSON.parse(last.markup) as { inline_keyboard: Button[][] }).inline_keyboard.flat();
    // Choice ids travel with a per-prompt nonce prefix (`nonce.id`).
    const button = buttons.find((b) => b.callback_data === data || b.callback_data?.endsWith(`.${data}`));
    if (!button?.callback_data) throw new Error(`no button "${data}" (have: ${buttons.map((b) => b.callback_data).join(", ")})`);
    await this.deliver(pressUpdate(this.index, last.id, button.callback_data, buttons));
    return this.fresh();
  }

  /** Presses callback data that was never issued, on the last message. */
  async pressRaw(data: string): Promise<FakeSend[]> {
    const sends = await this.all();
    const last = sends[sends.length - 1];
    await this.deliver(pressUpdate(this.index, last?.id ?? 1, data, []));
    return this.fresh();
  }

  /** The last message the bot sent that carries a keyboard. */
  async lastKeyboardMessage(): Promise<FakeSend | undefined> {
    return [...(await this.all())].reverse().find((s) => s.markup.includes("inline_keyboard"));
  }

  /** Choice ids (without the per-prompt nonce) of the last keyboard the bot sent. */
  async choiceIds(): Promise<string[]> {
    return (await this.buttons()).map((b) => (b.callback_data ?? "").split(".").pop() ?? "");
  }

  /** Buttons of the last keyboard the bot sent. */
  async buttons(): Promise<Button[]> {
    const sends = await this.all();
    const last = [...sends].reverse().find((s) => s.markup.includes("inline_keyboard"));
    return last ? (JSON.parse(last.markup) as { inline_keyboard: Button[][] }).inline_keyboard.flat() : [];
  }

  private async fresh(): Promise<FakeSend[]> {
    const sends = await this.all();
    this.known = sends;
    const out = sends.slice(this.seen);
    this.seen = sends.length;
    return out;
  }
}

/** One step of the enterprise registration as a user performs it. */
export type RegistrationStep = { say: string } | { press: string };

/** The enterprise registration script (same answers and buttons as the benchmark driver). */
export function registrationScript(a: { name: string; taxCode: string; address: string; contactPerson: string; phone: string; email: string }): RegistrationStep[] {
  return [
    { say: "/start" },
    { press: "enterprise" },
    { press: "yes" },
    { say: a.name },
    { press: "tax_code" },
    { say: a.taxCode },
    { press: "services_tourism" },
    { press: "small" },
    { say: a.address },
    { say: a.contactPerson },
    { say: a.phone },
    { say: a.email },
    { press: "training" },
    { press: "done" },
    { press: "yes" },
  ];
}

/** Runs steps `from`..`to` (exclusive) of a script; returns the last answer. */
export async function runSteps(user: TelegramUser, steps: RegistrationStep[], from = 0, to = steps.length): Promise<FakeSend[]> {
  let last: FakeSend[] = [];
  for (const step of steps.slice(from, to)) last = "say" in step ? await user.say(step.say) : await user.press(step.press);
  return last;
}

/** An open course starting in 10 days (4 hours long), registration open for 9 more days; returns its id. */
export async function createOpenCourse(db: Database, title: { vi: string; en: string }, description: { vi: string; en: string }, capacity: number): Promise<string> {
  const day = 24 * 3_600_000;
  const created = await db.models.course.create({
    title,
    description,
    startAt: new Date(Date.now() + 10 * day),
    endAt: new Date(Date.now() + 10 * day + 4 * 3_600_000),
    place: "Sở KHCN Khánh Hòa",
    capacity,
    deadline: new Date(Date.now() + 9 * day),
    audience: [],
    status: "open",
  });
  return created._id;
}
