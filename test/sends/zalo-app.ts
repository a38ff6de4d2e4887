/** The real app (`createApp`) on the Zalo channel against the fake Zalo server, for send tests. */
import { createApp, type App } from "../../src/app.js";
import { createStaffModule } from "../../src/admin/staff-module.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/log.js";
import type { FakeZaloServer } from "../fakes/zalo-server.js";

export const ZALO_TOKEN = "4242:send-budget-secret";

/** Starts the app polling the fake; `extra` adds environment variables. */
export async function startZaloApp(db: Database, fake: FakeZaloServer, extra: Record<string, string> = {}): Promise<App> {
  const parsed = parseConfig({
    ZALO_BOT_TOKEN: ZALO_TOKEN,
    ZALO_API_BASE: fake.apiBase,
    TERMINAL: "off",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.variable} ${p.message}`).join("; "));
  const app = await createApp({ config: parsed.config, db, logger: createLogger({ level: "silent" }) });
  await app.start();
  return app;
}

/** Creates a broadcast to everyone subscribed, the way the admin CLI does (the app's job queue sends it). */
export async function createBroadcastAsCli(db: Database, text: string): Promise<string> {
  const admin = createStaffModule({
    db,
    staffIds: [],
    senders: new Map(),
    notifier: { notify: async () => ({ ok: false, kind: "unreachable", code: "cli" }) },
    timeZone: "Asia/Ho_Chi_Minh",
    reminderOffsetsHours: [24],
    ratePerSec: { telegram: 30, zalo: 10 },
  });
  try {
    const created = await admin.broadcasts.create({ text: { vi: text }, audience: { kind: "all" }, createdBy: "cli" });
    if (!created.ok) throw new Error(created.reason);
    return created.broadcast._id;
  } finally {
    await admin.queue.stop();
  }
}

/** Resolves when `check()` holds, polling every 100 ms; throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
