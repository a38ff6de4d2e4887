/** The real runner, flows, locales and database with the staff module: staff conversations in tests. */
import { resolve } from "node:path";
import { createCourseCodeActions } from "../../src/actions/course-code.js";
import { createRegistrationActions } from "../../src/actions/courses.js";
import { createStaffModule, type StaffModule, type StaffModuleDeps } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { validators } from "../../src/domain/validators/index.js";
import { formatProblem } from "../../src/engine/check-flows.js";
import { loadFlows } from "../../src/runtime/load-flows.js";
import type { Bot, Outgoing, UserRef } from "../../src/engine/messages.js";
import { createRunner } from "../../src/runtime/runner.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { silentLogger } from "../../src/shared/logger.js";

const root = resolve(import.meta.dirname, "..", "..");
/** The repository's renderer. */
export const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });

/** A staff bot on `db`; `say` returns the replies' text joined. */
export function startStaffBot(db: Database, staffKey: string, extra: Partial<StaffModuleDeps> = {}): { staff: StaffModule; bot: Bot; say(user: UserRef, text: string): Promise<string>; raw(user: UserRef, text: string): Promise<Outgoing[]> } {
  const staff = createStaffModule({
    db, staffIds: [staffKey], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: "Asia/Ho_Chi_Minh",
    reminderOffsetsHours: [24, 2], ratePerSec: { telegram: 30, zalo: 10 }, ...extra,
  });
  // The course flows too: sign-up codes land on a course's page.
  const actions = { ...createRegistrationActions({ db }), ...createCourseCodeActions({ db }), ...staff.actions };
  const loaded = loadFlows(resolve(root, "flows"), { validatorNames: Object.keys(validators), actionNames: Object.keys(actions), hasKey: (k, l) => renderer.hasKey(k, l) });
  const ours = loaded.problems.map(formatProblem).filter((p) => /flows\/staff-[a-z-]+\.yaml/.test(p));
  if (ours.length > 0) throw new Error(ours.join("\n"));
  const now = () => new Date();
  const bot = createRunner({
    flows: loaded.flows, store: createMongoSessionStore(db, { clock: now }), actions, validators, renderer,
    isStaff: (u) => staff.isStaff(u), now, logger: silentLogger, defaultLocale: "vi", timeZone: "Asia/Ho_Chi_Minh",
  });
  const raw = (user: UserRef, text: string) => bot.handle({ user, kind: "text", text });
  return { staff, bot, raw, say: async (user, text) => (await raw(user, text)).map((o) => [o.text, ...(o.choices ?? []).map((c) => c.label)].join("\n")).join("\n") };
}
