/**
 * The enterprise, course, my-registrations and privacy flows driven by typed text only, through
 * the real runner, flows, locales, validators, actions and database (no channel).
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnterpriseActions } from "../../src/actions/enterprise.js";
import { createPolicyActions } from "../../src/actions/policies.js";
import { createPrivacyActions } from "../../src/actions/privacy.js";
import { createCourseCodeActions } from "../../src/actions/course-code.js";
import { createRegistrationActions } from "../../src/actions/courses.js";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { validators } from "../../src/domain/validators/index.js";
import type { ActionRegistry } from "../../src/engine/actions.js";
import { formatProblem } from "../../src/engine/check-flows.js";
import { loadFlows } from "../../src/runtime/load-flows.js";
import type { Bot, Msg, Notifier, UserRef } from "../../src/engine/messages.js";
import { createRunner } from "../../src/runtime/runner.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";
import type { I18nKey } from "../../src/engine/messages.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const now = new Date("2026-02-01T03:00:00Z");
let db: Database;
let bot: Bot;
const notices: { user: UserRef; messages: Msg[] }[] = [];
const hookCalls: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase("h3_conversations");
  const notifier: Notifier = {
    async notify(user, messages) {
      notices.push({ user, messages });
      return { ok: true };
    },
  };
  const hooks = {
    onConfirmed: (r: { id: string }) => void hookCalls.push(`confirmed:${r.id}`),
    onCancelled: (r: { id: string }) => void hookCalls.push(`cancelled:${r.id}`),
    onPromoted: (r: { id: string }) => void hookCalls.push(`promoted:${r.id}`),
  };
  const sessions = createMongoSessionStore(db, { clock: () => now });
  const actions: ActionRegistry = {
    ...createPolicyActions({ contact: {} }),
    ...createEnterpriseActions({ db }),
    ...createRegistrationActions({ db, notifier, hooks }),
    ...createCourseCodeActions({ db }),
    ...createPrivacyActions({ db, notifier, hooks, sessions, label: (m, l) => renderer.render(m, l) }),
  };
  // Other flows (staff) call actions these factories do not build: only our files must be clean.
  const loaded = loadFlows(resolve(root, "flows"), { validatorNames: Object.keys(validators), actionNames: Object.keys(actions), hasKey: (k, l) => renderer.hasKey(k, l) });
  const ours = loaded.problems.map(formatProblem).filter((p) => /flows\/(enterprise|courses|my|privacy|main)\.yaml/.test(p));
  if (ours.length > 0) throw new Error(ours.join("\n"));
  const flows = loaded.flows;
  bot = createRunner({
    flows, store: sessions, actions, validators, renderer, isStaff: async () => false,
    now: () => now, logger: silentLogger, defaultLocale: "vi", timeZone: "Asia/Ho_Chi_Minh",
  });
});
afterAll(async () => {
  await db?.close();
});

/** Sends each line as typed text; returns everything the bot answered, as one string per line sent. */
async function chat(userId: string, lines: string[], localeHint = "vi"): Promise<string[]> {
  const out: string[] = [];
  for (const text of lines) {
    const replies = await bot.handle({ user: { channel: "terminal", userId }, kind: "text", text, localeHint });
    out.push(replies.map((r) => [r.text, ...(r.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`)].join("\n")).join("\n---\n"));
  }
  return out;
}

const t = (key: I18nKey, params?: Msg["params"], locale: "vi" | "en" = "vi") => renderer.render(params ? { key, params } : { key }, locale);

async function seedCourse(capacity: number, title = "Khóa học 5S tại nơi làm việc") {
  return createCoursesRepo(db).create({
    title: { vi: title, en: "5S at the workplace" }, description: { vi: "Thực hành 5S", en: "5S practice" },
    startAt: new Date("2026-03-10T01:00:00Z"), endAt: new Date("2026-03-10T09:00:00Z"), place: "Nha Trang",
    capacity, deadline: new Date("2026-03-08T10:00:00Z"), audience: ["workers"], status: "open",
  });
}

describe("enterprise registration by typed text", () => {
  it("asks consent first, explains a wrong tax code, saves once; a second account learns nothing and waits", async () => {
    const out = await chat("owner1", [
      "/register_enterprise", "có", "Công ty TNHH Biển Xanh", "1", "0100109107", "0100 109 106",
      "1", "2", "Phường Lộc Thọ, Nha Trang", "Nguyễn Văn An", "0912.345.678", "bo qua", "3", "4", "6", "có",
    ]);
    expect(out[0]).toContain(t("enterprise:consent.what"));
    expect(out[0]).toContain("91/2025/QH15");
    expect(out[0]).not.toContain("13/2023");
    expect(out[4]).toContain(t("enterprise:errors.tax_code.check_digit"));
    expect(out[5]).toContain(t("enterprise:ask.sector"));
    expect(out[15]).toContain(t("enterprise:saved", { name: "Công ty TNHH Biển Xanh" }));
    const saved = await db.models.enterprise.findById("0100109106").lean();
    expect(saved).toMatchObject({ name: "Công ty TNHH Biển Xanh", sector: "services_tourism", size: "small", supportInterests: ["training", "enterprise_support"] });
    const people = await db.models.enterpriseContact.find({ taxCode: "0100109106" }).lean();
    expect(people[0]).toMatchObject({ contactId: "terminal:owner1", phone: "+84912345678", email: null });
    expect(people[0]!.consentAt).toEqual(now);

    // Someone else types the same code: the form goes on as for a new enterprise; nothing stored is shown.
    const second = await chat("owner2", ["/register_enterprise", "yes", "Biển Xanh", "1", "0100109106", "2", "1", "Xã Cam Lâm", "Trần Thị Bình", "0987654321", "binh@bienxanh.vn", "xong", "có"]);
    expect(second[4]).toContain(t("enterprise:ask.sector"));
    for (const reply of second) for (const secret of ["TNHH", "Lộc Thọ", "Nguyễn Văn An"]) expect(reply).not.toContain(secret);
    expect(second[12]).toContain(t("enterprise:request.pending", { tax_code: "0100109106" }));
    expect((await db.models.enterpriseContact.find({ taxCode: "0100109106" }).lean()).map((c) => c.contactId)).toEqual(["terminal:owner1"]);
    expect(await db.models.enterprise.countDocuments()).toBe(1);
    expect((await db.models.enterprise.findById("0100109106").lean())!.name).toBe("Công ty TNHH Biển Xanh");
  });

  it("does not ask sector and size again right after the eligibility check", async () => {
    // Main menu → eligibility: in the province, sector 2 (agro-processing), size 3 (medium) → register.
    const out = await chat("owner4", ["/menu", "2", "1", "2", "3", "1", "có", "Công ty Chế Biến Hòa", "1", "4200000004"]);
    const last = out[out.length - 1]!;
    expect(last).toContain(renderer.render({ key: "enterprise:prefilled", params: { sector: "agro_processing", size: "medium" } }, "vi"));
    expect(last).toContain("Chế biến nông, lâm, thủy sản, thực phẩm");
    expect(last).toContain(t("enterprise:ask.address"));
  });

  it("stores nothing without an explicit yes", async () => {
    const out = await chat("shy", ["/register_enterprise", "không"]);
    expect(out[1]).toContain(t("enterprise:consent.declined"));
    expect(await db.models.enterpriseContact.countDocuments({ contactId: "terminal:shy" })).toBe(0);
  });

  it("lets the user edit one field from the summary", async () => {
    const out = await chat("owner3", [
      "/register_enterprise", "1", "Cơ sở Gốm Lam", "1", "0300588569", "6", "1", "Xã Ninh Hòa", "Lê Văn Cường", "+84 35 123 4567", "-", "done",
      "không", "1", "Cơ sở Gốm Lam Sơn", "có",
    ]);
    expect(out[12]).toContain(t("enterprise:edit.text"));
    expect(out[15]).toContain(t("enterprise:saved", { name: "Cơ sở Gốm Lam Sơn" }));
    expect(await db.models.enterprise.findById("0300588569").lean()).toMatchObject({ name: "Cơ sở Gốm Lam Sơn", sector: "handicrafts", supportInterests: [] });
  });
});

describe("course registration, my registrations, privacy", () => {
  it("registers a worker, lists and cancels, promotes the next person and tells them", async () => {
    const courseId = await seedCourse(1);
    const first = await chat("worker1", ["/courses", "1", "1", "có", "Phạm Thị Dung", "0901234567", "0100109106", "Kỹ thuật viên", "có"]);
    expect(first[0]).toContain("Khóa học 5S tại nơi làm việc");
    expect(first[8]).toContain(t("courses:register.confirmed", { title: "Khóa học 5S tại nơi làm việc", start: new Date("2026-03-10T01:00:00Z") }));

    const twice = await chat("worker1", ["/courses", "1", "1", "có", "Phạm Thị Dung", "0901 234 567", "bỏ qua", "bỏ qua", "có"]);
    expect(twice[8]).toContain(t("courses:register.already_registered", { title: "Khóa học 5S tại nơi làm việc" }));

    const second = await chat("worker2", ["/courses", "1", "1", "có", "Hoàng Văn Em", "0388888888", "Công ty Gốm Lam", "-", "có"]);
    expect(second[8]).toContain(t("courses:register.waitlisted", { title: "Khóa học 5S tại nơi làm việc", position: 1 }));

    const mine = await chat("worker1", ["/my", "1", "có"]);
    expect(mine[0]).toContain(t("courses:my.item_confirmed", { title: "Khóa học 5S tại nơi làm việc", start: new Date("2026-03-10T01:00:00Z") }));
    expect(mine[2]).toContain(t("courses:my.cancelled"));
    const regs = await db.models.registration.find({ courseId }).lean();
    expect(regs.find((r) => r.contactId === "terminal:worker1")!.status).toBe("cancelled");
    expect(regs.find((r) => r.contactId === "terminal:worker2")!.status).toBe("confirmed");
    expect(notices).toEqual([{ user: { channel: "terminal", userId: "worker2" }, messages: [{ key: "courses:promoted.notice", params: { title: "Khóa học 5S tại nơi làm việc", start: new Date("2026-03-10T01:00:00Z") } }] }]);
    expect(hookCalls.map((h) => h.split(":")[0])).toEqual(["confirmed", "cancelled", "promoted"]);

    const after = await chat("worker1", ["/my"]);
    expect(after[0]).toContain(t("courses:my.item_cancelled", { title: "Khóa học 5S tại nơi làm việc", start: new Date("2026-03-10T01:00:00Z") }));
  });

  it("deleting my data leaves no document with my phone, name or email, and frees my seat", async () => {
    const courseId = await seedCourse(1, "Khóa học Kaizen");
    await chat("del1", ["/register_enterprise", "có", "Công ty Hải Đăng", "1", "0300588569-001", "2", "3", "Cam Ranh", "Đỗ Minh Khoa", "0977111222", "khoa@haidang.vn", "1", "done", "có"]);
    await chat("del1", ["/courses"]);
    const list = await chat("del1", ["/courses"]);
    const n = list[0]!.split("\n").findIndex((l) => l.includes("Khóa học Kaizen"));
    const choice = list[0]!.split("\n")[n]!.split(".")[0]!;
    const reg = await chat("del1", [choice, "1", "có", "Đỗ Minh Khoa", "0977111222", "Công ty Hải Đăng", "Giám đốc", "có"]);
    expect(reg[7]).toContain(t("courses:register.confirmed", { title: "Khóa học Kaizen", start: new Date("2026-03-10T01:00:00Z") }));
    const waiting = await chat("del2", ["/courses", choice, "1", "có", "Vũ Thị Lan", "0966555444", "-", "-", "có"]);
    expect(waiting[8]).toContain(t("courses:register.waitlisted", { title: "Khóa học Kaizen", position: 1 }));

    const shown = await chat("del1", ["/privacy", "1"]);
    expect(shown[1]).toContain("Đỗ Minh Khoa");
    expect(shown[1]).toContain("0977 111 222");
    expect(shown[1]).toContain("0300588569-001");
    expect(shown[1]).toContain("khoa@haidang.vn");

    const deleted = await chat("del1", ["/privacy", "2", "có"]);
    expect(deleted[2]).toContain(t("privacy:delete.done", { registrations: 1, enterprises: 1 }));
    for (const needle of ["Đỗ Minh Khoa", "977111222", "khoa@haidang.vn"]) {
      for (const [name, model] of Object.entries(db.models)) {
        const docs = await (model as unknown as { find(q: object): { lean(): Promise<unknown[]> } }).find({}).lean();
        expect(JSON.stringify(docs).includes(needle), `${needle} in ${name}`).toBe(false);
      }
    }
    expect(await db.models.enterprise.findById("0300588569-001").lean()).toBeNull();
    const lan = await db.models.registration.findOne({ courseId, contactId: "terminal:del2" }).lean();
    expect(lan!.status).toBe("confirmed");
  });
});
