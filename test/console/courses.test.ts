/**
 * The console's courses pages over HTTP against the real app and database: the list (soonest
 * first), the create and edit forms (a wrong date shown next to its field with the typed values
 * kept, nothing saved; fixing it saves), capacity (a raise promotes the waiting; a lower below
 * the seats held asks first), close/reopen/cancel/reschedule through CourseAdmin, the QR code,
 * 404 for an unknown course, the audit trail, CSRF.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistrationService } from "../../src/actions/registration-service.js";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { consoleClient, csrfOf, signIn, startConsoleApp, type ConsoleApp } from "./console-app.js";

const future = (days: number, hour = 8) => {
  const d = new Date(Date.now() + days * 86_400_000);
  // A wall time in Vietnam as the date picker sends it (UTC+7, no summer time).
  const local = new Date(d.getTime() + 7 * 3_600_000);
  return `${local.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
};

const FORM = (over: Record<string, string> = {}) => ({
  title_vi: "Lớp 5S <b>cơ bản</b>",
  title_en: "5S basics",
  description_vi: "",
  description_en: "",
  start: future(30, 8),
  end: future(30, 11),
  deadline: "",
  place: "Hội trường Sở KH&CN",
  online_url: "",
  capacity: "1",
  audience: "workers",
  ...over,
});

describe("console courses over HTTP", () => {
  let c: ConsoleApp;
  let client: ReturnType<typeof consoleClient>;
  let csrf: string;
  const courses = () => createCoursesRepo(c.db);
  const courseCount = () => c.db.models.course.countDocuments({});
  const audits = async (action: string) => (await c.repo.recentAudit(200)).filter((a) => a.action === action);

  beforeAll(async () => {
    c = await startConsoleApp("console_courses_http");
    client = consoleClient(c.base);
    csrf = csrfOf(await signIn(c, client));
  }, 90_000);
  afterAll(async () => {
    await c?.stop();
  });

  async function create(over: Record<string, string> = {}): Promise<string> {
    const res = await client.post("/console/courses", { _csrf: csrf, ...FORM(over) });
    expect(res.status, res.text).toBe(303);
    return /\/console\/courses\/([^/?]+)\?done=created/.exec(res.location ?? "")![1]!;
  }

  it("has a menu entry and an empty list", async () => {
    const home = await client.get("/console");
    expect(home.text).toContain('href="/console/courses"');
    const list = await client.get("/console/courses");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Chưa có khóa học nào.");
    expect((await client.get("/console/courses/new")).text).toContain('type="datetime-local"');
  });

  it("shows a wrong date next to its field with the typed values kept and saves nothing; fixed, it saves", async () => {
    const wrong = FORM({ end: future(30, 7) });
    const refused = await client.post("/console/courses", { _csrf: csrf, ...wrong });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/id="e-end">Thời điểm kết thúc phải sau thời điểm bắt đầu\.</);
    expect(refused.text).not.toContain('id="e-start"');
    expect(refused.text).toContain(`value="${wrong.end}"`);
    expect(refused.text).toContain('value="Lớp 5S &lt;b&gt;cơ bản&lt;/b&gt;"');
    expect(refused.text).toContain('value="Hội trường Sở KH&amp;CN"');
    expect(await courseCount()).toBe(0);

    // A past start and a deadline after the start: each said at its field, all at once.
    const past = await client.post("/console/courses", { _csrf: csrf, ...FORM({ start: "2020-01-01T08:00", end: "2020-01-01T10:00", capacity: "0" }) });
    expect(past.status).toBe(422);
    expect(past.text).toMatch(/id="e-start">Thời điểm này đã qua/);
    expect(past.text).toMatch(/id="e-end">Thời điểm này đã qua/);
    expect(past.text).toMatch(/id="e-capacity">Số chỗ phải là số nguyên/);
    const late = await client.post("/console/courses", { _csrf: csrf, ...FORM({ deadline: future(31) }) });
    expect(late.status).toBe(422);
    expect(late.text).toMatch(/id="e-deadline">Hạn đăng ký không được sau thời điểm bắt đầu\.</);
    expect(await courseCount()).toBe(0);

    const id = await create();
    expect(await courseCount()).toBe(1);
    const page = await client.get(`/console/courses/${id}?done=created`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Đã tạo khóa học.");
    expect(page.text).toContain("Lớp 5S &lt;b&gt;cơ bản&lt;/b&gt;");
    expect(page.text).not.toContain("<b>cơ bản</b>");
    const stored = await courses().findById(id);
    expect(stored).toMatchObject({ capacity: 1, place: "Hội trường Sở KH&CN", audience: ["workers"] });
    // The picker's wall time is Vietnam time; the deadline left empty is the start.
    expect(stored!.startAt.toISOString()).toBe(new Date(`${FORM().start}:00+07:00`).toISOString());
    expect(stored!.deadline.getTime()).toBe(stored!.startAt.getTime());

    expect((await audits("course.create")).map((a) => a.result)).toEqual(["303", "422", "422", "422"]);
  });

  it("lists courses not yet over soonest first, then past ones, with seats and the waiting", async () => {
    const later = await create({ title_vi: "Lớp muộn", start: future(60), end: future(60, 17) });
    const sooner = await create({ title_vi: "Lớp sớm", start: future(3), end: future(3, 17) });
    const pastId = await courses().create({ title: { vi: "Lớp đã qua" }, description: { vi: "Lớp đã qua" }, startAt: new Date("2024-05-01T01:00:00Z"), endAt: new Date("2024-05-01T04:00:00Z"), deadline: new Date("2024-05-01T01:00:00Z"), place: "Nha Trang", capacity: 10, audience: ["workers"], status: "open" });
    const list = (await client.get("/console/courses")).text;
    const order = [...list.matchAll(/data-course="([^"]+)"/g)].map((m) => m[1]);
    expect(order.slice(0, 1)).toEqual([sooner]);
    expect(order.indexOf(later)).toBeGreaterThan(order.indexOf(sooner));
    expect(order.at(-1)).toBe(pastId);
    expect(list).toContain("Khóa học đã qua");
  });

  it("raises the capacity (the person waiting gets the seat), asks before lowering below the seats held", async () => {
    const id = await create({ title_vi: "Lớp sức chứa" });
    const registration = createRegistrationService({ db: c.db });
    const reg = (n: number) => registration.register({ courseId: id, contactId: `telegram:${900 + n}`, fullName: `Học viên ${n}`, phone: `+8490123450${n}`, enterprise: null, jobTitle: null, consentAt: new Date() }, new Date());
    expect((await reg(1)).outcome).toBe("confirmed");
    expect((await reg(2)).outcome).toBe("waitlisted");
    let page = (await client.get(`/console/courses/${id}`)).text;
    expect(page).toMatch(/<table id="confirmed">[\s\S]*Học viên 1[\s\S]*0901234501[\s\S]*<\/table>/);
    expect(page).toMatch(/<table id="waiting">[\s\S]*Học viên 2[\s\S]*<\/table>/);

    const edit = await client.get(`/console/courses/${id}/edit`);
    expect(edit.text).toContain('value="1"');
    const raised = await client.post(`/console/courses/${id}`, { _csrf: csrf, ...FORM({ title_vi: "Lớp sức chứa", capacity: "2" }) });
    expect(raised.status).toBe(303);
    expect(raised.location).toContain("done=raised");
    // The promotion runs as the bot's job (as after /editcourse in the chat).
    for (let i = 0; i < 100; i++) {
      if ((await registration.repo.listForCourse(id)).every((r) => r.status === "confirmed")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await registration.repo.listForCourse(id)).map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
    page = (await client.get(`/console/courses/${id}`)).text;
    expect(page).toContain("Không có ai đang chờ.");

    const lower = await client.post(`/console/courses/${id}`, { _csrf: csrf, ...FORM({ title_vi: "Lớp sức chứa", capacity: "1" }) });
    expect(lower.status).toBe(422);
    expect(lower.text).toMatch(/id="e-capacity">Đã có 2 người giữ chỗ, nhiều hơn 1\./);
    expect(lower.text).toContain('name="confirm_lower"');
    expect((await courses().findById(id))!.capacity).toBe(2);
    const confirmed = await client.post(`/console/courses/${id}`, { _csrf: csrf, ...FORM({ title_vi: "Lớp sức chứa", capacity: "1" }), confirm_lower: "yes" });
    expect(confirmed.status).toBe(303);
    expect((await courses().findById(id))!.capacity).toBe(1);
  });

  it("edits only what changed: a new start moves the end with it; a bad date is kept in place and nothing is saved", async () => {
    const id = await create({ title_vi: "Lớp dời", start: future(20, 8), end: future(20, 11) });
    const before = (await courses().findById(id))!;
    const bad = await client.post(`/console/courses/${id}`, { _csrf: csrf, ...FORM({ title_vi: "Lớp dời đổi tên", start: future(20, 8), end: future(20, 11), deadline: future(21, 8) }) });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="e-deadline">Hạn đăng ký không được sau/);
    expect(bad.text).toContain('value="Lớp dời đổi tên"');
    expect(await courses().findById(id)).toEqual(before);

    const moved = await client.post(`/console/courses/${id}`, { _csrf: csrf, ...FORM({ title_vi: "Lớp dời", start: future(22, 9), end: future(20, 11) }) });
    expect(moved.status).toBe(303);
    expect(moved.location).toContain("done=moved");
    const after = (await courses().findById(id))!;
    expect(after.startAt.toISOString()).toBe(new Date(`${future(22, 9)}:00+07:00`).toISOString());
    expect(after.endAt.getTime() - after.startAt.getTime()).toBe(3 * 3_600_000);
    expect(after.deadline.getTime()).toBe(after.startAt.getTime());

    // The reschedule form: a past time is refused at its field, with the typed value kept.
    const past = await client.post(`/console/courses/${id}/reschedule`, { _csrf: csrf, start: "2021-03-01T08:00", end: "" });
    expect(past.status).toBe(422);
    expect(past.text).toMatch(/id="re-start">Thời điểm này đã qua/);
    expect(past.text).toContain('value="2021-03-01T08:00"');
    const again = await client.post(`/console/courses/${id}/reschedule`, { _csrf: csrf, start: future(25, 14), end: "" });
    expect(again.status).toBe(303);
    expect((await courses().findById(id))!.endAt.toISOString()).toBe(new Date(`${future(25, 17)}:00+07:00`).toISOString());
    expect((await audits("course.reschedule")).map((a) => [a.target, a.result])).toEqual([[id, "303"], [id, "422"]]);
  });

  it("closes, reopens and cancels through CourseAdmin; a cancelled course stays cancelled", async () => {
    const id = await create({ title_vi: "Lớp đóng mở" });
    const status = async () => (await courses().findById(id))!.status;
    const page = (await client.get(`/console/courses/${id}`)).text;
    expect(page).toMatch(/action="\/console\/courses\/[^"]+\/close" data-confirm="[^"]+"/);
    expect(page).toMatch(/action="\/console\/courses\/[^"]+\/cancel" data-confirm="[^"]+"/);
    expect((await client.post(`/console/courses/${id}/close`, { _csrf: csrf })).location).toBe(`/console/courses/${id}?done=closed`);
    expect(await status()).toBe("closed");
    expect((await client.get(`/console/courses/${id}?done=closed`)).text).toContain("Đã đóng đăng ký.");
    expect((await client.post(`/console/courses/${id}/reopen`, { _csrf: csrf })).status).toBe(303);
    expect(await status()).toBe("open");
    expect((await client.post(`/console/courses/${id}/cancel`, { _csrf: csrf })).status).toBe(303);
    expect(await status()).toBe("cancelled");
    const again = await client.post(`/console/courses/${id}/reopen`, { _csrf: csrf });
    expect(again.status).toBe(409);
    expect(again.text).toContain("Khóa học này đã bị hủy.");
    expect(await status()).toBe("cancelled");
    expect((await audits("course.close")).map((a) => [a.target, a.result])).toContainEqual([id, "303"]);
    expect((await audits("course.reopen")).map((a) => [a.target, a.result])).toEqual([[id, "409"], [id, "303"]]);
  });

  it("serves the sign-up code and the QR code PNG", async () => {
    const id = await create({ title_vi: "Lớp QR" });
    const page = (await client.get(`/console/courses/${id}`)).text;
    expect(page).toMatch(/id="course-code">KH\d+</);
    expect(page).toContain(`<img src="/console/courses/${id}/qr.png"`);
    const qr = await fetch(`${c.base}/console/courses/${id}/qr.png`, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toBe("image/png");
    expect([...new Uint8Array(await qr.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("answers 404 for an unknown course, on every route", async () => {
    for (const path of ["/console/courses/nope", "/console/courses/nope/edit", "/console/courses/nope/qr.png"]) expect((await client.get(path)).status, path).toBe(404);
    for (const path of ["/console/courses/nope", "/console/courses/nope/close", "/console/courses/nope/reopen", "/console/courses/nope/cancel", "/console/courses/nope/reschedule"]) {
      const res = await client.post(path, { _csrf: csrf, ...FORM() });
      expect(res.status, path).toBe(404);
      expect(res.text).toContain("Không có khóa học này.");
    }
  });

  it("speaks English when the staff member chose it", async () => {
    const id = await create({ title_vi: "Lớp tiếng Anh", title_en: "English course" });
    expect((await client.post("/console/locale", { _csrf: csrf, locale: "en", back: `/console/courses/${id}` })).status).toBe(303);
    const page = (await client.get(`/console/courses/${id}`)).text;
    expect(page).toContain('<h1 id="course-title">English course</h1>');
    expect(page).toContain("Registered (0)");
    expect(page).toContain("Close registration");
    const refused = await client.post("/console/courses", { _csrf: csrf, ...FORM({ end: future(30, 7) }) });
    expect(refused.text).toMatch(/id="e-end">The end must be after the start\.</);
    await client.post("/console/locale", { _csrf: csrf, locale: "vi", back: "/console" });
  });

  it("refuses a form without its CSRF token and saves nothing", async () => {
    const n = await courseCount();
    const res = await client.post("/console/courses", FORM());
    expect(res.status).toBe(403);
    expect(await courseCount()).toBe(n);
  });
});
