import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.js";
import type { TelegramChannel } from "../src/channels/telegram/telegram-channel.js";
import { parseConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { tapTelegram, type Button } from "./driver.js";
import type { Side, StoredRecord } from "./side.js";
import { isRecord } from "../src/shared/guards.js";

// Choice ids reach Telegram prefixed with a per-prompt nonce (`g7onoa.enterprise`), so an old
// keyboard cannot replay a step: match on the id after the dot.
const byId = (id: string) => (b: Button) => b.callback_data === id || (b.callback_data?.endsWith(`.${id}`) ?? false);

/**
 * The project's bot as a benchmark side: the real app from `createApp` (runner, flows, the
 * real telegraf adapter, sessions in the database), in webhook mode so nothing polls; each
 * update takes the path a webhook delivery takes after its HTTP request was checked.
 * Logs at `info` to a file, as production logs.
 */
export const projectSide: Side = {
  name: "project",
  choices: {
    menuEnterprise: byId("enterprise"),
    consentYes: byId("yes"),
    idKind: byId("tax_code"),
    sector: byId("services_tourism"),
    size: byId("small"),
    interest: byId("training"),
    interestsDone: byId("done"),
    confirmYes: byId("yes"),
  },
  async start(options) {
    const parsed = parseConfig({
      MONGODB_URI: options.mongoUri,
      TELEGRAM_BOT_TOKEN: options.token,
      TELEGRAM_API_ROOT: options.apiRoot,
      TELEGRAM_WEBHOOK_URL: "https://bench.invalid/webhooks/telegram",
      TELEGRAM_WEBHOOK_SECRET: "bench-secret-0123456789",
      TERMINAL: "off",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
      // The bench's fake platform has no rate limit, nor does the plain-telegraf baseline: the
      // send budget still runs (its cost is measured) but at a rate that does not cap the load.
      TELEGRAM_RATE_PER_SEC: process.env.BENCH_TELEGRAM_RATE ?? "100000",
    });
    if (!parsed.ok) throw new Error(`config: ${parsed.problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
    const logDir = mkdtempSync(join(tmpdir(), "nscl-bench-log-"));
    const logger = createLogger({ level: parsed.config.LOG_LEVEL, file: join(logDir, "bot.log") });
    // BENCH_COUNT_OPS=<file>: count the commands sent to the database, per command and collection.
    const countFile = process.env.BENCH_COUNT_OPS;
    const db = await openDatabase(options.mongoUri, { monitorCommands: countFile !== undefined });
    const ops = new Map<string, number>();
    if (countFile) {
      db.connection.getClient().on("commandStarted", (event) => {
        const command: Record<string, unknown> = event.command;
        const target = command[event.commandName];
        // The filter's fields: only `{_id: value}` uses an index on FerretDB (docs/decisions).
        const update: unknown = Array.isArray(command.updates) ? command.updates[0] : undefined;
        const found = command.filter ?? command.query ?? (isRecord(update) ? update.q : undefined);
        const filter = isRecord(found) ? found : undefined;
        const name = `${event.commandName} ${typeof target === "string" ? target : ""} ${filter ? `{${Object.keys(filter).join(",")}}` : ""}${command.sort ? " sort" : ""}`.trim();
        ops.set(name, (ops.get(name) ?? 0) + 1);
      });
    }
    const app = await createApp({ config: parsed.config, db, logger });
    await app.start();
    const channel = app.channels.get("telegram") as TelegramChannel | undefined;
    if (!channel) throw new Error("the app has no Telegram channel");
    tapTelegram(channel.telegraf.telegram);
    return {
      // The production path of a webhook delivery, without the HTTP in front: de-duplication
      // with its claim in the database, then the per-chat queue (bounded concurrency).
      handleUpdate: (update) => channel.handleUpdate(update as never),
      async records(userIds) {
        const wanted = new Set(userIds.map((id) => `telegram:${id}`));
        // Contact persons are one document each (enterprise_contacts), joined to their enterprise.
        const [docs, people] = await Promise.all([db.models.enterprise.find({}).lean(), db.models.enterpriseContact.find({}).lean()]);
        const byCode = new Map(docs.map((d) => [d._id, d]));
        const out: StoredRecord[] = [];
        for (const c of people) {
          const d = byCode.get(c.taxCode);
          if (!d || !wanted.has(c.contactId)) continue;
          out.push({
            userId: c.contactId.slice("telegram:".length),
            name: d.name,
            taxCode: d.taxCode,
            address: d.address,
            contactPerson: c.name,
            phone: c.phone,
            email: c.email ?? "",
          });
        }
        return out;
      },
      async close() {
        await app.stop();
        await db.close();
        if (countFile) writeFileSync(countFile, JSON.stringify(Object.fromEntries([...ops].sort((a, b) => b[1] - a[1])), null, 1));
        logger.flush();
        rmSync(logDir, { recursive: true, force: true });
      },
    };
  },
};
