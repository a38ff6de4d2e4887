import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createServices, type Services } from "../../src/composition/services.js";
import type { Database } from "../../src/db/database.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { WEB_HISTORY_COLLECTION } from "../../src/channels/web/web-history.js";
import { clockFrom } from "../../src/shared/clock.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";

const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
// A clock years ahead of the machine's: whatever records it must have come through the root.
const AT = new Date("2031-03-04T05:06:07.000Z");

describe("the composition root", () => {
  let db: Database;
  let services: Services;
  beforeAll(async () => {
    db = await openTestDatabase("composition_services");
    const parsed = parseConfig({ TERMINAL: "off", LOG_LEVEL: "silent" });
    if (!parsed.ok) throw new Error("config");
    services = createServices({ config: parsed.config, db, logger: silentLogger, clock: clockFrom(() => AT), render: (m, l) => renderer.render(m, l), senders: new Map() });
  });
  afterAll(async () => {
    await services.sessions.close();
    await services.staff.stop();
    await db.close();
  });

  it("hands the app's clock to the staff side: a broadcast is stamped with it, not the machine's time", async () => {
    const created = await services.staff.broadcasts.create({ text: { vi: "Thông báo" }, audience: { kind: "all" }, createdBy: "cli" });
    expect(created.ok).toBe(true);
    if (created.ok) expect(created.broadcast.createdAt.toISOString()).toBe(AT.toISOString());
  });

  it("hands the same clock to the ticket service", async () => {
    const opened = await services.tickets.open({ channel: "zalo", userId: "u1" }, "An", "Hỏi về khóa học");
    expect(opened.ok).toBe(true);
    const stored = await services.repos.tickets.get(opened.ok ? opened.number : -1);
    expect(stored?.createdAt.toISOString()).toBe(AT.toISOString());
  });

  it("an erasure by staff (the CLI, no channel running) also erases what the account's channel keeps: a web visitor's chat history", async () => {
    const visitor = "web:AbCdEfGhIjKlMnOpQrStUv";
    const history = db.connection.collection<{ _id: string; m?: Record<string, unknown>; touchedAt?: Date }>(WEB_HISTORY_COLLECTION);
    await history.insertOne({ _id: visitor, m: { k1: { from: "user", text: "Tôi là Nguyễn Văn An, 0905123456" } }, touchedAt: AT });
    await history.insertOne({ _id: "web:ZzZzZzZzZzZzZzZzZzZzZz", m: { k1: { from: "user", text: "someone else" } }, touchedAt: AT });
    await services.privacy.erase(visitor, "terminal:staff");
    expect(await history.findOne({ _id: visitor })).toBeNull();
    expect(await history.findOne({ _id: "web:ZzZzZzZzZzZzZzZzZzZzZz" })).not.toBeNull();
    // The audit record is stamped with the app's clock, not the machine's.
    const audit = await db.models.privacyAudit.findOne({ subject: visitor, action: "erase" }).lean();
    expect(audit?.at.toISOString()).toBe(AT.toISOString());
  });

  it("hands the same clock to the notice queue: a queued notice is due at the app's time", async () => {
    await services.notifier.notify({ channel: "zalo", userId: "u2" }, [{ key: "enterprise:request.approved" }]);
    const pending = await services.staff.queue.pending<{ to: string }>("notice:send", { to: "zalo:u2" });
    expect(pending.map((p) => p.at?.toISOString())).toEqual([AT.toISOString()]);
  });

  it("without a notifier (the admin CLI), notices are queued for the running bot instead of sent", () => {
    expect(services.notifier).toBe(services.noticeJob.queued);
  });
});
