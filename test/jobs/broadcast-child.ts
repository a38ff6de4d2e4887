/**
 * A delivery process for the crash test: runs one broadcast against a fake platform that appends
 * each accepted message's user id to a file (synchronously, before answering), so the file is
 * what "the platform received" even if this process is killed. Env: MONGO_URI, BROADCAST_ID,
 * RECORD_FILE, CONCURRENCY; optional RATE (sends/s, default 400), LATENCY_MS (default 5) and
 * MODE=resume (do not start it: find it stale and take it over, as a restarted bot does).
 */
import { appendFileSync } from "node:fs";
import { openDatabase } from "../../src/db/database.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { createBroadcastService } from "../../src/jobs/broadcasts.js";
import { systemClock } from "../../src/shared/clock.js";
import { RateLimiter } from "../../src/jobs/rate-limiter.js";
import { FakeSender } from "./fake-sender.js";

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} missing`);
  return v;
};
const db = await openDatabase(env("MONGO_URI"));
const sender = new FakeSender({ latencyMs: Number(process.env.LATENCY_MS ?? 5), onDelivered: (u) => appendFileSync(env("RECORD_FILE"), `${u}\n`) });
const service = createBroadcastService({
  broadcasts: createBroadcastsRepo(db),
  deliveries: createDeliveriesRepo(db),
  sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
  senders: new Map([["telegram", sender]]),
  limiters: new Map([["telegram", new RateLimiter({ perWindow: Number(process.env.RATE ?? 400) }, systemClock)]]),
  notifier: { notify: async () => ({ ok: true }) },
  queue: { define: () => undefined, schedule: async () => undefined, cancel: async () => 0, pending: async () => [], every: async () => undefined, start: async () => undefined, stop: async () => undefined },
  clock: systemClock,
  concurrency: Number(env("CONCURRENCY")),
});
process.stdout.write("ready\n");
if (process.env.MODE === "resume") {
  const stop = service.startResumeSweep();
  const id = env("BROADCAST_ID");
  for (let i = 0; i < 1200 && (await createBroadcastsRepo(db).get(id))?.status !== "done"; i++) await new Promise((r) => setTimeout(r, 100));
  stop();
  process.stdout.write(`${JSON.stringify((await createBroadcastsRepo(db).get(id))?.counts)}\n`);
} else {
  const counts = await service.run(env("BROADCAST_ID"));
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}
await db.close();
