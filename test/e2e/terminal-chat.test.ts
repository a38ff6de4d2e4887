/**
 * Scripted conversations through the real bot process (`src/main.ts`, as `npm start` runs it):
 * stdin in, stdout out, sessions and records in the real database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoursesRepo } from "../../src/db/courses-repo.js";
import { openDatabase, type Database } from "../../src/db/database.js";
import { seedSampleCourses } from "../../src/db/seed-courses.js";
import { runBot } from "../helpers/run-bot.js";
import { testDatabaseUri } from "../helpers/db.js";

const script = (...lines: string[]) => `${lines.join("\n")}\n`;

// Each test starts the bot as `npm start` does (tsx, real database); on a busy machine one start
// takes 10-15 s and the restart test starts it three times: a generous bound, not a speed check.
describe("terminal chat (scripted, real process and database)", { timeout: 120_000 }, () => {
  const uri = testDatabaseUri("e2e_terminal");
  const env = { MONGODB_URI: uri };
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(uri);
    await db.connection.dropDatabase();
    await db.close();
    db = await openDatabase(uri);
  });
  afterAll(async () => db.close());

  it("`/start` prints the main menu in Vietnamese and exits 0", async () => {
    const run = await runBot(script("/start"), { ...env, DATA_DIR: "" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Chính sách hỗ trợ");
    expect(run.stdout).toContain("Đăng ký doanh nghiệp");
    expect(run.stdout).toContain("Khóa đào tạo");
    expect(run.stdout).toMatch(/1\. Chính sách hỗ trợ/);
    // Logs never reach the chat.
    expect(run.stdout).not.toContain('"level"');
  });

  it("walks the policy menu in Vietnamese: the 2025 targets and the five task groups", async () => {
    const run = await runBot(script("/policies", "Chỉ tiêu đến năm 2025", "5 nhom nhiem vu"), { ...env, TERMINAL: "on" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Đào tạo 10–15 chuyên gia NSCL");
    for (const figure of ["ít nhất 300 cán bộ", "500 lượt lãnh đạo", "50 doanh nghiệp"]) expect(run.stdout).toContain(figure);
    expect(run.stdout).toContain("05 nhóm nhiệm vụ, giải pháp chính");
    expect(run.stdout).toMatch(/1\. Triển khai, xây dựng cơ chế, chính sách/);
    expect(run.stdout).toMatch(/5\. Tăng cường năng lực tư vấn, đánh giá sự phù hợp/);
  });

  it("walks the policy menu in English after /lang", async () => {
    const run = await runBot(script("/lang", "English", "/policies", "Targets for 2025", "The 5 groups of tasks"), env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Train 10–15 NSCL experts");
    expect(run.stdout).toContain("At least 50 enterprises");
    expect(run.stdout).toContain("5 main groups of tasks and solutions");
    expect(run.stdout).toContain("Type the number or the name of the option");
  });

  it("answers free text without diacritics from the programme content", async () => {
    const run = await runBot(script("/lang", "Tiếng Việt", "doanh nghiep nao duoc ho tro"), env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Dịch vụ, du lịch");
    expect(run.stdout.toLowerCase()).toContain("ưu tiên");
  });

  it("continues a half-filled form after the bot is stopped and restarted", async () => {
    const user = { ...env, DATA_DIR: "" };
    const first = await runBot(script("/register_enterprise", "Có", "Công ty Cổ phần Yến Sào Thử Nghiệm", "1"), user);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Mã số thuế của doanh nghiệp là gì?");
    const second = await runBot(script("0300588569"), user);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Doanh nghiệp hoạt động trong lĩnh vực nào?");
    await runBot(script("/cancel"), user);
  });

  it("registers an enterprise after one wrong tax code, storing what was typed in canonical form", async () => {
    const run = await runBot(
      script("/register_enterprise", "1", "Công ty TNHH Thủy Sản Cam Ranh", "1", "0100109107", "0100.109.106", "Chế biến nông, lâm, thủy sản, thực phẩm", "Vừa", "Cam Ranh, Khánh Hòa", "Trần Thị Bình", "+84 912.345.678", "bỏ qua", "Đào tạo, tập huấn", "Xong", "Có"),
      env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("chữ số kiểm tra");
    const saved = await db.models.enterprise.findById("0100109106").lean();
    expect(saved?.name).toBe("Công ty TNHH Thủy Sản Cam Ranh");
    expect(saved?.sector).toBe("agro_processing");
    expect(saved?.size).toBe("medium");
    const person = await db.models.enterpriseContact.findOne({ taxCode: "0100109106" }).lean();
    expect(person?.phone).toBe("+84912345678");
    expect(person?.consentAt).toBeInstanceOf(Date);
  });

  it("registers a worker for a course, lists the registration and cancels it", async () => {
    await seedSampleCourses(createCoursesRepo(db), new Date());
    const run = await runBot(
      script("/courses", "(Mẫu) Lớp nhỏ 2 chỗ để thử danh sách chờ", "1", "Có", "Lê Văn Cường", "0987654321", "Công ty TNHH Thủy Sản Cam Ranh", "bỏ qua", "Có", "/my", "1", "Có"),
      { ...env, DATA_DIR: "" },
    );
    expect(run.code).toBe(0);
    const registrations = await db.models.registration.find({ courseId: "sample-course-3" }).lean();
    expect(registrations).toHaveLength(1);
    expect(registrations[0]?.status).toBe("cancelled");
    expect(run.stdout).toContain("(Mẫu) Lớp nhỏ 2 chỗ để thử danh sách chờ");
  });
});
