/**
 * Issue #11 item 5: a staff member removed on one process loses every staff side effect at once
 * on another process, although that process's cached staff list (for menus) still names them.
 * Two app instances (runner, flows, staff module, session store each) share one database.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { validators } from "../../src/domain/validators/index.js";
import { loadFlows } from "../../src/runtime/load-flows.js";
import type { Bot, UserRef } from "../../src/engine/messages.js";
import { createRunner } from "../../src/runtime/runner.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const BOSS: UserRef = { channel: "telegram", userId: "100" };
const ALICE: UserRef = { channel: "telegram", userId: "300" };
const notAllowed = renderer.render({ key: "common:errors.not_allowed" }, "vi");

interface Instance {
  staff: StaffModule;
  say(user: UserRef, text: string): Promise<string>;
}

function instance(db: Database): Instance {
  const staff = createStaffModule({
    db,
    staffIds: ["telegram:100"],
    senders: new Map(),
    notifier: { notify: async () => ({ ok: true }) },
    timeZone: "Asia/Ho_Chi_Minh",
    reminderOffsetsHours: [24],
    ratePerSec: { telegram: 30, zalo: 10 },
  });
  const loaded = loadFlows(resolve(root, "flows"), { validatorNames: Object.keys(validators), actionNames: Object.keys(staff.actions), hasKey: (k, l) => renderer.hasKey(k, l) });
  const now = () => new Date();
  const bot: Bot = createRunner({
    flows: loaded.flows,
    store: createMongoSessionStore(db, { clock: now }),
    actions: staff.actions,
    validators,
    renderer,
    isStaff: (u) => staff.isStaff(u),
    now,
    logger: silentLogger,
    defaultLocale: "vi",
    timeZone: "Asia/Ho_Chi_Minh",
  });
  return { staff, say: async (user, text) => (await bot.handle({ user, kind: "text", text })).map((o) => o.text).join("\n") };
}

let db: Database;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  db = await openTestDatabase("admin_staff_two_processes");
  a = instance(db);
  b = instance(db);
  await db.models.contact.insertMany([{ _id: "telegram:501", channel: "telegram", userId: "501", locale: "vi", lastSeenAt: new Date() }]);
});

afterAll(async () => {
  await a?.staff.stop();
  await b?.staff.stop();
  await db?.close();
});

describe("staff rights across processes", () => {
  it("removed on A: on B (whose cache still says staff) a broadcast confirm, a staff add and an export are refused", async () => {
    expect(await a.say(BOSS, "/staff add telegram:300")).toContain("telegram:300");
    // Alice works on B: its cached list now names her; she composes a broadcast up to the confirm.
    expect(await b.say(ALICE, "/staff")).not.toContain(notAllowed);
    await b.say(ALICE, "/broadcast");
    await b.say(ALICE, "Thông báo thử");
    await b.say(ALICE, "Test notice");
    await b.say(ALICE, "1"); // everyone subscribed
    const preview = await b.say(ALICE, "1"); // now
    expect(preview).not.toContain(notAllowed);

    // The boss removes her on A; B's cache (5 s) still lists her.
    expect(await a.say(BOSS, "/staff remove telegram:300")).toContain(renderer.render({ key: "staff:staff.result.removed", params: { id: "telegram:300" } }, "vi"));
    expect(await b.staff.isStaff(ALICE)).toBe(true);

    expect(await b.say(ALICE, "1")).toContain(notAllowed); // confirm the broadcast
    expect(await db.models.broadcast.countDocuments({})).toBe(0);

    expect(await b.say(ALICE, "/staff add telegram:400")).toContain(notAllowed);
    expect(await db.models.staff.findById("telegram:400").lean()).toBeNull();

    await b.say(ALICE, "/export");
    const exported = await b.say(ALICE, "2"); // the enterprise list
    expect(exported).toContain(notAllowed);
  });
});
