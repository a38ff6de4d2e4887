/**
 * Every staff command through the real runner, flows, locales and database: refused to a
 * non-staff user (no staff action runs), available to staff; plus /staff add and remove and
 * the /subscribe, /unsubscribe flows.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionNames } from "../../src/actions/catalog.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { validators } from "../../src/domain/validators/index.js";
import type { ActionRegistry } from "../../src/engine/actions.js";
import { formatProblem } from "../../src/engine/check-flows.js";
import { loadFlows } from "../../src/runtime/load-flows.js";
import type { Bot, Outgoing, UserRef } from "../../src/engine/messages.js";
import { createRunner } from "../../src/runtime/runner.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const STAFF: UserRef = { channel: "telegram", userId: "100" };
const OTHER: UserRef = { channel: "telegram", userId: "200" };
/** Every staff command (the flows with `staff: true`). */
const STAFF_COMMANDS = ["staffhelp", "staff", "broadcast", "broadcasts", "broadcast_cancel", "broadcast_resend", "courselist", "newcourse", "editcourse", "closecourse", "export", "courselink", "web"];

let db: Database;
let staff: StaffModule;
let bot: Bot;
const calls: string[] = [];
const notAllowed = renderer.render({ key: "common:errors.not_allowed" }, "vi");

const say = async (user: UserRef, text: string): Promise<Outgoing[]> => bot.handle({ user, kind: "text", text });
const all = (out: Outgoing[]) => out.map((o) => o.text).join("\n");

beforeAll(async () => {
  db = await openTestDatabase("admin_staff_flows");
  staff = createStaffModule({
    db,
    staffIds: [`${STAFF.channel}:${STAFF.userId}`],
    senders: new Map(),
    notifier: { notify: async () => ({ ok: true }) },
    timeZone: "Asia/Ho_Chi_Minh",
    reminderOffsetsHours: [24, 2],
    ratePerSec: { telegram: 30, zalo: 10 },
  });
  // Spy on every staff action: none may run for a non-staff user.
  const actions: ActionRegistry = Object.fromEntries(
    Object.entries(staff.actions).map(([name, handler]) => [name, async (ctx: Parameters<typeof handler>[0]) => (calls.push(`${name}:${ctx.user.userId}`), handler(ctx))]),
  );
  const loaded = loadFlows(resolve(root, "flows"), { validatorNames: Object.keys(validators), actionNames: Object.keys(actions), hasKey: (k, l) => renderer.hasKey(k, l) });
  const ours = loaded.problems.map(formatProblem).filter((p) => /flows\/(staff-[a-z-]+|subscribe|unsubscribe)\.yaml/.test(p));
  if (ours.length > 0) throw new Error(ours.join("\n"));
  const now = () => new Date();
  bot = createRunner({
    flows: loaded.flows, store: createMongoSessionStore(db, { clock: now }), actions, validators, renderer,
    isStaff: (u) => staff.isStaff(u), now, logger: silentLogger, defaultLocale: "vi", timeZone: "Asia/Ho_Chi_Minh",
  });
  // handoff_* staff flows (/tickets, /reply) are tested in test/e2e/handoff.test.ts.
  const staffFlows = [...loaded.flows.flows.values()].filter((f) => f.staff && !f.id.startsWith("handoff_")).map((f) => f.command).sort();
  expect(staffFlows).toEqual([...STAFF_COMMANDS].sort());
});

afterAll(async () => {
  await staff?.stop();
  await db?.close();
});

describe("staff commands", () => {
  it("every action the staff module builds is in the catalog flows:check reads", () => {
    for (const name of Object.keys(staff.actions)) expect(actionNames).toContain(name);
  });

  for (const command of STAFF_COMMANDS) {
    it(`refuses /${command} to a non-staff user with the neutral message`, async () => {
      const before = calls.length;
      const out = await say(OTHER, `/${command} add telegram:200`);
      expect(all(out)).toContain(notAllowed);
      expect(calls.slice(before).filter((c) => c.endsWith(`:${OTHER.userId}`))).toEqual([]);
    });
  }

  it("lets staff use them", async () => {
    for (const command of STAFF_COMMANDS) {
      const out = await say(STAFF, `/${command}`);
      expect(all(out), command).not.toContain(notAllowed);
      await say(STAFF, "/cancel");
    }
  });

  it("adds and removes staff in chat; an added member may then use staff commands", async () => {
    expect(all(await say(STAFF, "/staff add telegram:200"))).toContain("telegram:200");
    expect(await staff.isStaff(OTHER)).toBe(true);
    expect(all(await say(OTHER, "/courselist"))).not.toContain(notAllowed);
    expect(all(await say(OTHER, "/staff remove telegram:100"))).toContain(renderer.render({ key: "staff:staff.result.configured", params: { id: "telegram:100" } }, "vi"));
    expect(all(await say(STAFF, "/staff remove telegram:200"))).toContain(renderer.render({ key: "staff:staff.result.removed", params: { id: "telegram:200" } }, "vi"));
    expect(await staff.isStaff(OTHER)).toBe(false);
    expect(all(await say(OTHER, "/courselist"))).toContain(notAllowed);
    expect(all(await say(STAFF, "/staff add nonsense"))).toContain(renderer.render({ key: "staff:staff.result.invalid", params: { id: "nonsense" } }, "vi"));
  });

  it("composes a broadcast in chat: preview with the count, confirm, scheduled", async () => {
    await db.models.contact.insertMany([
      { _id: "telegram:501", channel: "telegram", userId: "501", locale: "vi", lastSeenAt: new Date() },
      { _id: "telegram:502", channel: "telegram", userId: "502", locale: "en", lastSeenAt: new Date() },
    ]);
    await say(STAFF, "/broadcast");
    await say(STAFF, "Hội thảo năng suất ngày 10/12");
    await say(STAFF, "Productivity workshop on 10 Dec");
    await say(STAFF, "6"); // English readers
    await say(STAFF, "2"); // schedule
    const preview = all(await say(STAFF, "10/12/2030 08:00"));
    expect(preview).toContain(renderer.render({ key: "staff:broadcast.preview.at", params: { count: 1, at: new Date("2030-12-10T01:00:00Z") } }, "vi"));
    expect(all(await say(STAFF, "1"))).toContain(renderer.render({ key: "staff:broadcast.scheduled", params: { id: "", at: new Date("2030-12-10T01:00:00Z") } }, "vi").split(" ")[0]!);
    const scheduled = await staff.broadcasts.scheduled();
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]).toMatchObject({ text: { vi: "Hội thảo năng suất ngày 10/12", en: "Productivity workshop on 10 Dec" }, audience: { kind: "language", locale: "en" }, createdBy: "telegram:100" });
    expect(all(await say(STAFF, "/broadcasts"))).toContain(scheduled[0]!._id);
    expect(all(await say(STAFF, `/broadcast_cancel ${scheduled[0]!._id}`))).toContain(renderer.render({ key: "staff:broadcast.cancelled", params: { id: scheduled[0]!._id } }, "vi"));
    expect(await staff.broadcasts.scheduled()).toHaveLength(0);
  });

  it("creates a course in chat and lists it with seats and waitlist", async () => {
    await say(STAFF, "/newcourse");
    for (const answer of ["Quản lý 5S", "Bỏ qua", "Bỏ qua", "15/12/2030 08:00", "15/12/2030 11:30", "Hội trường Sở KH&CN", "25", "Bỏ qua", "1", "Xong"]) await say(STAFF, answer);
    const created = all(await say(STAFF, "1"));
    expect(created).toMatch(/[0-9a-f]{24}/);
    expect(all(await say(STAFF, "/courselist"))).toContain("Quản lý 5S");
  });
});

describe("subscription", () => {
  it("/unsubscribe and /subscribe switch broadcasts off and on for anyone", async () => {
    await say(OTHER, "/unsubscribe");
    expect((await db.models.contact.findById("telegram:200").lean())?.subscribed).toBe(false);
    await say(OTHER, "/subscribe");
    expect((await db.models.contact.findById("telegram:200").lean())?.subscribed).toBe(true);
  });
});
