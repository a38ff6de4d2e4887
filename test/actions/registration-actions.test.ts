import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationActions } from "../../src/actions/courses.js";
import { createEnterpriseActions } from "../../src/actions/enterprise.js";
import { actionNames } from "../../src/actions/catalog.js";
import { createPrivacyActions } from "../../src/actions/privacy.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import type { Database } from "../../src/db/database.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import type { ActionContext } from "../../src/engine/actions.js";
import type { Logger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";

let db: Database;
const now = new Date("2026-02-01T00:00:00Z");
const ctx = (data: Record<string, unknown>, userId = "u1"): ActionContext => ({
  user: { channel: "telegram", userId }, locale: "vi", data, vars: {}, now, isStaff: false,
});

beforeAll(async () => {
  db = await openTestDatabase("h3_registration_actions");
});
afterAll(async () => {
  await db?.close();
});

async function addCourse(days: number, overrides: Record<string, unknown> = {}) {
  const start = new Date(now.getTime() + days * 86_400_000);
  return createCoursesRepo(db).create({
    title: { vi: `Khóa ${days}`, en: `Course ${days}` }, description: { vi: "Mô tả" },
    startAt: start, endAt: new Date(start.getTime() + 3_600_000), place: "Nha Trang", capacity: 2,
    deadline: new Date(start.getTime() - 86_400_000), audience: ["workers"], status: "open", ...overrides,
  });
}

describe("action names", () => {
  it("every handler a factory builds is in the catalog flows:check reads", () => {
    const built = [
      ...Object.keys(createEnterpriseActions({ db: { models: {} } as unknown as Database })),
      ...Object.keys(createRegistrationActions({ db: { models: {} } as unknown as Database })),
      ...Object.keys(createPrivacyActions({ db: { models: {} } as unknown as Database, sessions: { erase: async () => undefined }, label: () => "" })),
    ].sort();
    for (const name of built) expect(actionNames).toContain(name);
  });
});

describe("course actions", () => {
  it("lists open courses soonest start first, five a page, with a 'more' choice, and skips closed or past-deadline ones", async () => {
    const ids = [];
    for (let d = 10; d <= 16; d++) ids.push(await addCourse(d));
    await addCourse(20, { status: "closed" });
    await addCourse(2, { deadline: new Date(now.getTime() - 1000) });
    const actions = createRegistrationActions({ db });
    const first = await actions.list_open_courses(ctx({}));
    expect(first.choices!.map((c) => c.id)).toEqual([...ids.slice(0, 5), "more"]);
    expect(first.choices![0]!.label).toEqual({ key: "courses:list.item", params: { title: "Khóa 10", start: expect.any(Date), seats: 2, count: 2 } });
    expect(first.say).toEqual([{ key: "courses:list.header", params: { total: 7, page: 1, pages: 2 } }]);

    const more = await actions.show_course(ctx({ course_id: "more", course_page: 0 }));
    expect(more).toEqual({ outcome: "more", data: { course_page: 1, course_id: null } });
    const second = await actions.list_open_courses(ctx({ course_page: 1 }));
    expect(second.choices!.map((c) => c.id)).toEqual([ids[5], ids[6]]);
    // A page past the end (courses closed meanwhile) starts again at the first.
    expect((await actions.list_open_courses(ctx({ course_page: 9 }))).data).toEqual({ course_page: 0 });
  });

  it("says why a course cannot be registered for", async () => {
    const actions = createRegistrationActions({ db });
    const closed = await addCourse(30, { status: "closed" });
    const past = await addCourse(3, { deadline: new Date(now.getTime() - 1) });
    expect((await actions.show_course(ctx({ course_id: closed }))).outcome).toBe("closed");
    expect((await actions.show_course(ctx({ course_id: past }))).outcome).toBe("deadline_passed");
    expect((await actions.show_course(ctx({ course_id: "nope" }))).outcome).toBe("not_found");
    expect((await actions.register_for_course(ctx({ course_id: closed, full_name: "An", phone: "+84912345678", consent_at: now.toISOString() }))).outcome).toBe("closed");
  });

  it("refuses to register without consent or answers", async () => {
    const actions = createRegistrationActions({ db });
    const id = await addCourse(40);
    expect((await actions.register_for_course(ctx({ course_id: id, full_name: "An", phone: "+84912345678" }))).outcome).toBe("incomplete");
    expect(await db.models.registration.countDocuments({ courseId: id })).toBe(0);
  });

  it("registers, waitlists with a position, and cancels only the user's own registration", async () => {
    const actions = createRegistrationActions({ db });
    const id = await addCourse(50);
    const answers = (phone: string) => ({ course_id: id, full_name: "Nguyễn An", phone, enterprise: "0100109106", consent_at: now.toISOString() });
    expect((await actions.register_for_course(ctx(answers("+84912000001"), "a"))).outcome).toBe("confirmed");
    expect((await actions.register_for_course(ctx(answers("+84912000002"), "b"))).outcome).toBe("confirmed");
    const third = await actions.register_for_course(ctx(answers("+84912000003"), "c"));
    expect(third).toMatchObject({ outcome: "waitlisted", say: [{ key: "courses:register.waitlisted", params: { position: 1 } }] });
    // A new attempt (its own consent) with a phone already registered is refused.
    expect((await actions.register_for_course(ctx({ ...answers("+84912000003"), consent_at: new Date(now.getTime() + 60_000).toISOString() }, "c"))).outcome).toBe("already_registered");
    const reg = await db.models.registration.findOne({ courseId: id, contactId: "telegram:a" }).lean();
    expect(reg!.enterprise).toMatchObject({ kind: "tax_code", taxCode: "0100109106" });

    const mineC = await actions.list_my_registrations(ctx({}, "c"));
    expect(mineC.say![1]).toMatchObject({ key: "courses:my.item_waitlisted", params: { position: 1 } });
    expect((await actions.cancel_registration(ctx({ registration_id: reg!._id }, "c"))).outcome).toBe("not_found");
    expect((await actions.show_registration(ctx({ registration_id: reg!._id }, "c"))).outcome).toBe("not_found");
    expect((await actions.cancel_registration(ctx({ registration_id: reg!._id }, "a"))).outcome).toBe("ok");
    expect((await actions.cancel_registration(ctx({ registration_id: reg!._id }, "a"))).outcome).toBe("already_cancelled");
    const mineA = await actions.list_my_registrations(ctx({}, "a"));
    expect(mineA.outcome).toBe("nothing_to_cancel");
    expect((await actions.list_my_registrations(ctx({}, "nobody"))).outcome).toBe("none");
    expect((await db.models.registration.findOne({ courseId: id, contactId: "telegram:c" }).lean())!.status).toBe("confirmed");
    // Staff cancel the course: the person sees it, and cannot cancel what no longer runs.
    await db.models.course.updateOne({ _id: id }, { $set: { status: "cancelled" } });
    const afterCancel = await actions.list_my_registrations(ctx({}, "c"));
    expect(afterCancel).toMatchObject({ outcome: "nothing_to_cancel", say: [{ key: "courses:my.header" }, { key: "courses:my.item_course_cancelled" }] });
  });

  it("logs a failing hook and still answers", async () => {
    const errors: unknown[] = [];
    const log = { error: (o: unknown) => errors.push(o), warn: () => undefined } as unknown as Logger;
    const actions = createRegistrationActions({ db, log, hooks: { onConfirmed: () => { throw new Error("jobs down"); } } });
    const id = await addCourse(60);
    const res = await actions.register_for_course(ctx({ course_id: id, full_name: "Bình", phone: "+84912000009", consent_at: now.toISOString() }));
    expect(res.outcome).toBe("confirmed");
    expect(errors).toEqual([{ hook: "onConfirmed", registrationId: expect.any(String), err: "Error" }]);
  });
});

describe("enterprise actions", () => {
  const answers = {
    enterprise_name: "Công ty Sao Biển", tax_code: "0300588569", sector: "agro_processing", size: "medium", address: "Nha Trang",
    contact_name: "Lý Thị Hoa", phone: "+84905111222", email: null, support: ["policy"], consent_at: now.toISOString(),
  };
  it("saves once per tax code; a second account learns nothing and its details wait as a request", async () => {
    const actions = createEnterpriseActions({ db });
    expect((await actions.check_tax_code(ctx(answers))).outcome).toBe("ok");
    expect((await actions.save_enterprise(ctx(answers))).outcome).toBe("ok");
    expect((await actions.check_tax_code(ctx(answers))).outcome).toBe("mine");
    const stranger = await actions.check_tax_code(ctx(answers, "u2"));
    expect(stranger).toEqual({ outcome: "ok", vars: { tax_id_display: "0300588569" } });
    const saved = await actions.save_enterprise(ctx({ ...answers, enterprise_name: "Khác", contact_name: "Người Lạ" }, "u2"));
    expect(saved).toEqual({ outcome: "pending", say: [{ key: "enterprise:request.pending", params: { tax_code: "0300588569" } }] });
    expect(JSON.stringify(saved)).not.toContain("Sao Biển");
    expect(await db.models.enterpriseContact.countDocuments({ contactId: "telegram:u2" })).toBe(0);
    expect((await db.models.enterprise.findById("0300588569").lean())!.name).toBe("Công ty Sao Biển");
  });
  it("needs consent and valid answers", async () => {
    const actions = createEnterpriseActions({ db });
    expect((await actions.save_enterprise(ctx({ ...answers, tax_code: "0100109106", consent_at: null }))).outcome).toBe("incomplete");
    expect((await actions.save_enterprise(ctx({ ...answers, tax_code: "0100109106", sector: "mining" }))).outcome).toBe("incomplete");
    expect(await db.models.enterprise.findById("0100109106").lean()).toBeNull();
  });
  it("records the consent time", async () => {
    expect(await createEnterpriseActions({ db }).record_consent(ctx({}))).toEqual({ data: { consent_at: now.toISOString() } });
  });
});

describe("privacy actions", () => {
  it("withdrawing consent keeps an enterprise that has another contact person, without mine", async () => {
    const ent = createEnterpriseActions({ db });
    const base = {
      enterprise_name: "Hợp tác xã Yến", tax_code: "0100109106-002", sector: "handicrafts", size: "micro", address: "Vạn Ninh",
      contact_name: "Mai Văn Tú", phone: "+84905333444", email: "tu@yen.vn", support: [], consent_at: now.toISOString(),
    };
    expect((await ent.save_enterprise(ctx(base, "p1"))).outcome).toBe("ok");
    await createEnterprisesRepo(db).upsertContact("0100109106-002", { contactId: "telegram:p2", name: "Đinh Thị Na", phone: "+84905777888", email: null, consentAt: now });
    const privacy = createPrivacyActions({ db, sessions: createMongoSessionStore(db), label: (m) => m.key });
    const shown = await privacy.show_my_data(ctx({}, "p1"));
    expect(shown.outcome).toBe("ok");
    expect(shown.say!.find((m) => m.key === "privacy:show.enterprise")!.params).toMatchObject({ contact_name: "Mai Văn Tú", phone: "0905 333 444", email: "tu@yen.vn", tax_code: "0100109106-002" });
    const res = await privacy.withdraw_consent(ctx({ consent_purpose: "enterprise_registration" }, "p1"));
    expect(res.say).toEqual([{ key: "privacy:withdraw.done_enterprise_registration", params: { registrations: 0, enterprises: 1, requests: 0 } }]);
    const kept = await db.models.enterprise.findById("0100109106-002").lean();
    expect((await db.models.enterpriseContact.find({ taxCode: "0100109106-002" }).lean()).map((c) => c.name)).toEqual(["Đinh Thị Na"]);
    expect(JSON.stringify(kept)).not.toContain("Mai Văn Tú");
    expect((await privacy.show_my_data(ctx({}, "p1"))).outcome).toBe("none");
    await privacy.delete_my_data(ctx({}, "p2"));
    expect(await db.models.enterprise.findById("0100109106-002").lean()).toBeNull();
  });
});
