/**
 * Issue #12 "done when", through the real runner, flows, locales, actions and database (typed
 * text only, as on Zalo): a tax code reveals nothing and makes nobody a contact without approval;
 * withdrawal and erasure stop broadcasts; a typed phone reveals nothing; a 12-digit personal ID
 * registers a household business and is masked; consent is asked once per purpose.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPT_OUT_FRESH_MS } from "../../src/jobs/opt-out-watch.js";
import { createEnterpriseActions } from "../../src/actions/enterprise.js";
import { createPolicyActions } from "../../src/actions/policies.js";
import { createPrivacyActions } from "../../src/actions/privacy.js";
import { createRegistrationActions } from "../../src/actions/courses.js";
import { createBroadcastsRepo } from "../../src/db/broadcasts-repo.js";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { createDeliveriesRepo } from "../../src/db/deliveries-repo.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import { validators } from "../../src/domain/validators/index.js";
import type { ActionRegistry } from "../../src/engine/actions.js";
import { loadFlows } from "../../src/runtime/load-flows.js";
import type { Bot, Msg, Notifier, Sender, UserRef } from "../../src/engine/messages.js";
import { createRunner } from "../../src/runtime/runner.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { createBroadcastService } from "../../src/jobs/broadcasts.js";
import { systemClock } from "../../src/shared/clock.js";
import { silentLogger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";
import { createCourseCodeActions } from "../../src/actions/course-code.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";
import type { I18nKey } from "../../src/engine/messages.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const now = new Date("2026-02-01T03:00:00Z");
let db: Database;
let bot: Bot;
const notices: { user: UserRef; messages: Msg[] }[] = [];
const staffIds = new Set(["terminal:staff1"]);

beforeAll(async () => {
  db = await openTestDatabase("h3_personal_data");
  const notifier: Notifier = {
    async notify(user, messages) {
      notices.push({ user, messages });
      return { ok: true };
    },
  };
  const sessions = createMongoSessionStore(db, { clock: () => now });
  const actions: ActionRegistry = {
    ...createPolicyActions({ contact: {} }),
    ...createEnterpriseActions({ db, notifier }),
    ...createRegistrationActions({ db, notifier }),
    ...createCourseCodeActions({ db }),
    ...createPrivacyActions({ db, notifier, sessions, label: (m, l) => renderer.render(m, l) }),
  };
  const loaded = loadFlows(resolve(root, "flows"), { validatorNames: Object.keys(validators), actionNames: Object.keys(actions), hasKey: (k, l) => renderer.hasKey(k, l) });
  bot = createRunner({
    flows: loaded.flows, store: sessions, actions, validators, renderer, isStaff: async (u) => staffIds.has(`${u.channel}:${u.userId}`),
    now: () => now, logger: silentLogger, defaultLocale: "vi", timeZone: "Asia/Ho_Chi_Minh",
  });
});
afterAll(async () => {
  await db?.close();
});

async function chat(userId: string, lines: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const text of lines) {
    const replies = await bot.handle({ user: { channel: "terminal", userId }, kind: "text", text, localeHint: "vi" });
    out.push(replies.map((r) => [r.text, ...(r.choices ?? []).map((c, i) => `${i + 1}. ${c.label}`)].join("\n")).join("\n---\n"));
  }
  return out;
}
const t = (key: I18nKey, params?: Msg["params"]) => renderer.render(params ? { key, params } : { key }, "vi");
/** A queue that only records: the test runs the delivery itself. */
const recordingQueue = (): JobQueue => ({
  define: () => undefined, schedule: async () => undefined, cancel: async () => 0, pending: async () => [],
  every: async () => undefined, start: async () => undefined, stop: async () => undefined,
});
const noticesTo = (userId: string) => notices.filter((n) => n.user.userId === userId).map((n) => n.messages[0]!);

/** Registers an enterprise by typed text (tax code path). */
async function registerEnterprise(userId: string, name: string, taxCode: string, person: string, phone: string, address = "12 Trần Phú, phường Nha Trang"): Promise<string[]> {
  return chat(userId, ["/register_enterprise", "có", name, "1", taxCode, "1", "2", address, person, phone, "bỏ qua", "xong", "có"]);
}

describe("a tax code reveals nothing; a second account becomes a contact only after approval", () => {
  it("the stranger sees nothing stored, waits, and is linked when the contact approves by typed choice", async () => {
    await registerEnterprise("realowner", "Công ty TNHH Hải Sản Vân Phong", "0300588569", "Phan Thị Ngọc", "0977000111");
    const stranger = await registerEnterprise("stranger", "Tên Bất Kỳ", "0300588569", "Kẻ Lạ", "0966000222", "Thôn Đông, xã Vạn Ninh");
    const all = stranger.join("\n");
    for (const secret of ["Vân Phong", "Trần Phú", "Phan Thị Ngọc", "0977", "000 111", "Dịch vụ, du lịch; Quy mô nhỏ"]) expect(all).not.toContain(secret);
    expect(stranger.at(-1)).toContain(t("enterprise:request.pending", { tax_code: "0300588569" }));
    // Not a contact: /privacy shows only the waiting request with the stranger's own details.
    const shown = (await chat("stranger", ["/privacy", "1"]))[1]!;
    expect(shown).toContain("Kẻ Lạ");
    expect(shown).not.toContain("Vân Phong");
    expect(await db.models.enterpriseContact.countDocuments({ contactId: "terminal:stranger" })).toBe(0);
    // The contact is told how to decide; the stranger's phone is masked in that notice.
    const told = noticesTo("realowner");
    expect(told.at(-1)).toMatchObject({ key: "enterprise:request.notice_contacts", params: { requester: "Kẻ Lạ", phone: "0966 *** 222", enterprise: "Công ty TNHH Hải Sản Vân Phong" } });

    // Another stranger cannot see or decide the request.
    expect((await chat("nosy", ["/requests"]))[0]).toContain(t("enterprise:requests.none"));

    const decided = await chat("realowner", ["/requests", "1", "1"]);
    expect(decided[0]).toContain("Kẻ Lạ → Công ty TNHH Hải Sản Vân Phong");
    expect(decided[1]).toContain("0966 000 222");
    expect(decided[2]).toContain(t("enterprise:requests.result.approved"));
    expect(noticesTo("stranger").at(-1)).toMatchObject({ key: "enterprise:request.approved", params: { enterprise: "Công ty TNHH Hải Sản Vân Phong" } });
    expect((await db.models.enterpriseContact.find({ taxCode: "0300588569" }).lean()).map((c) => c.contactId).sort()).toEqual(["terminal:realowner", "terminal:stranger"]);
    expect(await db.models.representationRequest.countDocuments({})).toBe(0);

    // Now a confirmed contact: they see and may change the enterprise, and the other contact is told.
    const update = await chat("stranger", ["/register_enterprise", "Tên Gì Cũng Được", "1", "0300588569", "không", "5", "Số 5 Lê Lợi, xã Vạn Ninh", "có"]);
    expect(update[3]).toContain("Vân Phong");
    expect(update.at(-1)).toContain(t("enterprise:mine.updated", { name: "Công ty TNHH Hải Sản Vân Phong" }));
    expect((await db.models.enterprise.findById("0300588569").lean())!.address).toBe("Số 5 Lê Lợi, xã Vạn Ninh");
    expect(noticesTo("realowner").at(-1)).toMatchObject({ key: "enterprise:notices.details_updated", params: { by: "Kẻ Lạ" } });
  });

  it("a declined request links nobody; staff may decide any request; a decision applies once", async () => {
    await registerEnterprise("owner_b", "Hợp tác xã Gốm Bàu Trúc", "0100109106-003", "Chế Thị Mai", "0988000333");
    await registerEnterprise("asker_b", "HTX Gốm", "0100109106-003", "Người Hỏi", "0988000444");
    await registerEnterprise("asker_c", "HTX Gốm", "0100109106-003", "Người Khác", "0988000555");
    const declined = await chat("owner_b", ["/requests", "1", "2"]);
    expect(declined[2]).toContain(t("enterprise:requests.result.declined"));
    expect(noticesTo("asker_b").at(-1)).toEqual({ key: "enterprise:request.declined", params: { tax_code: "0100109106-003" } });
    expect(JSON.stringify(noticesTo("asker_b"))).not.toContain("Bàu Trúc");
    const pendingId = (await db.models.representationRequest.findOne({ contactId: "terminal:asker_c" }).lean())!._id;
    const byStaff = await chat("staff1", ["/requests", "1", "đồng ý"]);
    expect(byStaff[0]).toContain("Người Khác");
    expect(byStaff[2]).toContain(t("enterprise:requests.result.approved"));
    const ids = (await db.models.enterpriseContact.find({ taxCode: "0100109106-003" }).lean()).map((c) => c.contactId).sort();
    expect(ids).toEqual(["terminal:asker_c", "terminal:owner_b"]);
    // Deciding it again (another contact, another process) changes nothing.
    const again = await createEnterpriseActions({ db }).decline_representation({ user: { channel: "terminal", userId: "owner_b" }, locale: "vi", data: { request_id: pendingId }, vars: {}, now, isStaff: false });
    expect(again.say).toEqual([{ key: "enterprise:requests.result.not_found" }]);
    expect(await db.models.enterpriseContact.countDocuments({ contactId: "terminal:asker_c" })).toBe(1);
  });
});

describe("a 12-digit personal ID registers a household business, masked when shown", () => {
  it("validates, registers, masks in the summary and in show my data, and never stores it elsewhere", async () => {
    const out = await chat("household", [
      "/register_enterprise", "có", "Hộ kinh doanh Yến Sào Bà Ba", "2", "12345", "099123451234", "056 123 451 234",
      "6", "1", "Thôn 3, xã Cam Lâm", "Lê Thị Ba", "0905123123", "-", "xong",
    ]);
    expect(out[4]).toContain(t("enterprise:errors.personal_id.length", { count: 5 }));
    expect(out[5]).toContain(t("enterprise:errors.personal_id.province"));
    expect(out[13]).toContain("056*****1234");
    expect(out[13]).not.toContain("056123451234");
    await chat("household", ["có"]);
    expect((await db.models.enterprise.findById("056123451234").lean())!.name).toBe("Hộ kinh doanh Yến Sào Bà Ba");
    const shown = (await chat("household", ["/privacy", "1"]))[1]!;
    expect(shown).toContain("056*****1234");
    expect(shown).not.toContain("056123451234");
    // Erased with the person.
    await chat("household", ["/privacy", "2", "có"]);
    expect(await db.models.enterprise.findById("056123451234").lean()).toBeNull();
    for (const model of Object.values(db.models)) {
      const docs = await (model as unknown as { find(q: object): { lean(): Promise<unknown[]> } }).find({}).lean();
      expect(JSON.stringify(docs)).not.toContain("056123451234");
    }
  });

  it("'no tax code yet' registers without a code", async () => {
    const out = await chat("notax", ["/register_enterprise", "có", "Cơ sở Mây Tre Lá", "3", "6", "1", "Xã Ninh Hòa", "Võ Văn Tre", "0905999888", "-", "xong", "có"]);
    expect(out.at(-1)).toContain(t("enterprise:saved", { name: "Cơ sở Mây Tre Lá" }));
    const link = await db.models.enterpriseContact.findOne({ contactId: "terminal:notax" }).lean();
    expect(link!.taxCode).toMatch(/^none:[a-f0-9]{24}$/);
  });
});

describe("consent per purpose", () => {
  it("is asked once per purpose, shown, and withdrawn per purpose", async () => {
    const first = await registerEnterprise("twice", "Công ty Hai Lần", "4200000004", "Trần Hai", "0905222333");
    expect(first[0]).toContain(t("enterprise:consent.question"));
    // Asked once: a second registration goes straight to the form.
    const again = await chat("twice", ["/register_enterprise"]);
    expect(again[0]).not.toContain(t("enterprise:consent.question"));
    expect(again[0]).toContain(t("enterprise:ask.name"));
    await chat("twice", ["/cancel"]);
    const shown = (await chat("twice", ["/privacy", "1"]))[1]!;
    expect(shown).toContain(t("privacy:purposes.enterprise_registration"));
    const withdrawn = await chat("twice", ["/privacy", "3", "dang ky doanh nghiep", "có"]);
    expect(withdrawn[3]).toContain(t("privacy:withdraw.done_enterprise_registration", { enterprises: 1, requests: 0, registrations: 0 }));
    expect(await db.models.enterpriseContact.countDocuments({ contactId: "terminal:twice" })).toBe(0);
    // Withdrawn: asked again next time.
    expect((await chat("twice", ["/register_enterprise"]))[0]).toContain(t("enterprise:consent.question"));
    await chat("twice", ["/cancel"]);
  });
});

describe("broadcasts honour withdrawal and erasure at once", () => {
  it("a broadcast to everyone reaches neither the person who withdrew nor the one who erased, nor one who withdrew mid-broadcast", async () => {
    const people = ["keeps", "withdrew", "erased", "late1", "late2"];
    for (const u of people) await chat(u, ["/start"]);
    await db.models.contact.updateMany({ _id: { $in: people.map((u) => `terminal:${u}`) } }, { $set: { lastSeenAt: now } });
    let lateOne = "";
    await chat("withdrew", ["/privacy", "3", "nhan thong bao", "có"]);
    await chat("erased", ["/privacy", "2", "có"]);
    const sent: string[] = [];
    const sender: Sender = {
      channel: "terminal",
      async send(userId) {
        sent.push(userId);
        // While the broadcast runs, one of late1/late2 not sent yet withdraws: the run reads the stops
        // again before any send that starts once its view is OPT_OUT_FRESH_MS old.
        if (sent.length === 1) {
          lateOne = userId === "late1" ? "late2" : "late1";
          await chat(lateOne, ["/privacy", "3", "nhan thong bao", "có"]);
          await new Promise((r) => setTimeout(r, OPT_OUT_FRESH_MS + 50));
        }
        return { ok: true };
      },
    };
    const service = createBroadcastService({
      broadcasts: createBroadcastsRepo(db), deliveries: createDeliveriesRepo(db),
      sources: { enterpriseContacts: async () => [], courseContacts: async () => [] },
      senders: new Map([["terminal", sender]]), limiters: new Map(), notifier: { notify: async () => ({ ok: true }) },
      queue: recordingQueue(), clock: systemClock, concurrency: 1,
    });
    const created = await service.create({ text: { vi: "Thông báo" }, audience: { kind: "all" }, createdBy: "terminal:staff1" });
    if (!created.ok) throw new Error("not created");
    await service.run(created.broadcast._id);
    expect(sent).toContain("keeps");
    expect(lateOne).not.toBe("");
    for (const u of ["withdrew", "erased", lateOne]) expect(sent).not.toContain(u);
    expect(sent.filter((u) => people.includes(u))).toHaveLength(2);
  });
});

describe("another person's phone in a course form reveals nothing", () => {
  it("registers the typist on their own account and says nothing about the phone's owner", async () => {
    const courseId = await createCoursesRepo(db).create({
      title: { vi: "Khóa học Lean" }, description: { vi: "Lean" }, startAt: new Date("2026-03-10T01:00:00Z"), endAt: new Date("2026-03-10T09:00:00Z"),
      place: "Nha Trang", capacity: 5, deadline: new Date("2026-03-08T10:00:00Z"), audience: ["workers"], status: "open",
    });
    const owner = await chat("phoneowner", ["/courses", "1", "1", "có", "Nguyễn Chủ Máy", "0912777888", "-", "-", "có"]);
    expect(owner[8]).toContain(t("courses:register.confirmed", { title: "Khóa học Lean", start: new Date("2026-03-10T01:00:00Z") }));
    const typist = await chat("typist", ["/courses", "1", "1", "có", "Người Gõ", "0912777888", "-", "-", "có"]);
    expect(typist[8]).toContain(t("courses:register.confirmed", { title: "Khóa học Lean", start: new Date("2026-03-10T01:00:00Z") }));
    expect(typist.join("\n")).not.toContain("Nguyễn Chủ Máy");
    expect(await db.models.registration.countDocuments({ courseId, status: "confirmed" })).toBe(2);
    // Consent for courses is remembered: the owner's second form skips the notice.
    const second = await chat("phoneowner", ["/courses", "1", "1"]);
    expect(second[2]).not.toContain(t("courses:consent.question"));
    expect(second[2]).toContain(t("courses:ask.name"));
    const twice = await chat("phoneowner", ["Nguyễn Chủ Máy", "0912777888", "-", "-", "có"]);
    expect(twice[4]).toContain(t("courses:register.already_registered", { title: "Khóa học Lean" }));
  });
});
