/**
 * The web chat benchmark in its own process: N visitors at once, each with its own cookie and
 * WebSocket to the real app's HTTP server, complete the enterprise registration (one wrong tax
 * code first) pressing buttons and typing, as in the Telegram runs. Latency per update = frame
 * sent → the bot's replies pushed (typing indicator off).
 *   tsx bench/web-worker.ts --users N --mongo-uri mongodb://…
 * Prints one line `BENCH_RESULT {json}` on stdout (the shape of `WorkerResult`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { createLogger } from "../src/log.js";
import { visitorCookie, WebVisitor, type Entry } from "../test/helpers/web-client.js";
import { answersFor } from "./driver.js";
import { startCpuMeter, summarise } from "./measure.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i] ?? "", process.argv[i + 1] ?? "");
const users = Number(args.get("--users") ?? 1);
const mongoUri = args.get("--mongo-uri") ?? "";

const parsed = parseConfig({
  MONGODB_URI: mongoUri, TERMINAL: "off", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
  WEB_COOKIE_SECRET: "bench-web-cookie-secret-0123456789abcdefgh",
  // Every visitor comes from 127.0.0.1 here: the per-IP limits would otherwise cap the load.
  WEB_IP_RATE_PER_MINUTE: "100000000", WEB_RATE_PER_MINUTE: "100000",
});
if (!parsed.ok) throw new Error(`config: ${parsed.problems.map((p) => `${p.variable} ${p.message}`).join("; ")}`);
const logDir = mkdtempSync(join(tmpdir(), "nscl-bench-web-log-"));
const logger = createLogger({ level: parsed.config.LOG_LEVEL, file: join(logDir, "bot.log") });
const db = await openDatabase(mongoUri);
const app = await createApp({ config: parsed.config, db, logger });
await app.start();
const base = `http://127.0.0.1:${app.httpPort}`;

type Step = { text: string } | { press: string };
/** The script: choice ids are matched on the part after the per-prompt nonce (`g7onoa.enterprise`). */
function scriptFor(i: number): Step[] {
  const a = answersFor(i);
  return [
    { press: "enterprise" }, { press: "yes" }, { text: a.name }, { press: "tax_code" }, { text: a.badTaxCode }, { text: a.taxCode },
    { press: "services_tourism" }, { press: "small" }, { text: a.address }, { text: a.contactPerson }, { text: a.phone }, { text: a.email },
    { press: "training" }, { press: "done" }, { press: "yes" },
  ];
}

const latencies: number[] = [];
const failures: { visitor: number; step: number; reason: string }[] = [];
const visitorIds = new Map<number, string>();
let updates = 0;

async function runVisitor(i: number): Promise<void> {
  const cookie = await visitorCookie(base);
  visitorIds.set(i, cookie.split("=")[1]!.split(".")[0]!);
  const v = await WebVisitor.open(base, { cookie, origin: base, "accept-language": "vi" });
  try {
    await v.waitFor((fs) => fs.some((f) => f.t === "typing" && f.on === false), 120_000, "greeting");
    let last: Entry[] = v.botEntries;
    const script = scriptFor(i);
    for (let step = 0; step < script.length; step++) {
      const action = script[step]!;
      let frame: Record<string, unknown>;
      if ("text" in action) frame = { t: "text", text: action.text };
      else {
        const choice = [...last].reverse().find((e) => e.choices?.length)?.choices?.find((c) => c.id === action.press || c.id.endsWith(`.${action.press}`));
        if (!choice) {
          failures.push({ visitor: i, step, reason: `no button ${action.press} after: ${JSON.stringify(last.map((e) => e.text.slice(0, 60)))}` });
          return;
        }
        frame = { t: "choice", choiceId: choice.id, label: choice.label };
      }
      const started = performance.now();
      last = await v.say(frame, 120_000);
      latencies.push(performance.now() - started);
      updates++;
    }
  } catch (error) {
    failures.push({ visitor: i, step: -1, reason: (error as Error).message.slice(0, 200) });
  } finally {
    await v.close();
  }
}

// Warm-up, outside the numbers.
await runVisitor(1_000_000);
latencies.length = 0;
updates = 0;
const meter = startCpuMeter();
const started = performance.now();
await Promise.all(Array.from({ length: users }, (_, k) => runVisitor(k)));
const durationMs = performance.now() - started;
// The visitors' clients run in this process too: this CPU figure includes their side of the sockets.
const { cpuUs, dbCpuUs } = meter.stop();
const peakRssMb = process.resourceUsage().maxRSS / 1024;

// Correctness: one enterprise per visitor, with the typed fields, linked to that visitor.
const problems = failures.slice(0, 5).map((f) => `visitor ${f.visitor} step ${f.step}: ${f.reason}`);
if (failures.length > 5) problems.push(`… and ${failures.length - 5} more failed visitors`);
const people = await db.models.enterpriseContact.find({}).lean();
const enterprises = new Map((await db.models.enterprise.find({}).lean()).map((d) => [d._id, d]));
let wrong = 0;
for (let k = 0; k < users; k++) {
  const a = answersFor(k);
  const mine = people.filter((c) => c.contactId === `web:${visitorIds.get(k)}`);
  const e = mine.length === 1 ? enterprises.get(mine[0]!.taxCode) : undefined;
  if (!e || e.name !== a.name || e.taxCode !== a.taxCode || e.address !== a.address || mine[0]!.name !== a.contactPerson || mine[0]!.phone !== `+84${a.phone.slice(1)}`) wrong++;
}
if (wrong > 0) problems.push(`${wrong} visitors without exactly one record as typed`);
await app.stop();
await db.close();
logger.flush();
rmSync(logDir, { recursive: true, force: true });

const out = summarise({ side: "web", users, updates, durationMs, latenciesMs: latencies, cpuUs, dbCpuUs, peakRssMb, problems });
process.stdout.write(`BENCH_RESULT ${JSON.stringify(out)}\n`);
process.exit(0);
