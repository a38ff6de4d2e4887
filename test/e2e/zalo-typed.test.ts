/**
 * End to end on the fake Zalo Bot API (no buttons: everything typed): a full enterprise
 * registration with only typed words, "quay lại" and a typed number for Skip along the way,
 * then "hủy" in a second form leaving nothing saved. The real app, the real database.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/log.js";
import { runCli } from "../../src/admin/cli/program.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { openCliContext, queueRecorder } from "../helpers/cli-context.js";
import { startFakeZaloServer, type FakeZaloServer } from "../fakes/zalo-server.js";
import { openTestDatabase, testDatabaseUri } from "../helpers/db.js";

const TOKEN = "1234567890:zalo-typed-e2e-secret";
const DB = "e2e_zalo_typed";

describe("Zalo, typing only", () => {
  let fake: FakeZaloServer;
  let db: Database;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeZaloServer({ token: TOKEN, pollHoldMs: 50 });
    db = await openTestDatabase(DB);
    const parsed = parseConfig({ MONGODB_URI: testDatabaseUri(DB), ZALO_BOT_TOKEN: TOKEN, ZALO_API_BASE: fake.apiBase, TERMINAL: "off", HOST: "127.0.0.1", PORT: "0", DATA_DIR: mkdtempSync(join(tmpdir(), "nscl-zalo-typed-")) });
    if (!parsed.ok) throw new Error("bad test config");
    app = await createApp({ config: parsed.config, db, logger: createLogger({ level: "warn", file: join(mkdtempSync(join(tmpdir(), "nscl-zalo-log-")), "bot.log") }) });
    await app.start();
  });

  afterAll(async () => {
    await app?.stop();
    await db?.close();
    await fake?.close();
  });

  /** Types one message as `user` and returns the text of every reply it got. */
  async function type(user: string, text: string): Promise<string> {
    const before = fake.sent.length;
    fake.pushUpdate(fake.textUpdate(user, text));
    await fake.waitForSent(before + 1, 20_000);
    // Replies of one update are sent back to back; wait until the count is stable.
    let count = fake.sent.length;
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (fake.sent.length === count) break;
      count = fake.sent.length;
    }
    return fake.sent.slice(before).map((m) => m.text).join("\n---\n");
  }

  it("registers an enterprise with typed words only; quay lại goes back keeping answers; 1 skips the email", async () => {
    const u = "z-typed-1";
    expect(await type(u, "cho em hỏi đăng ký doanh nghiệp ạ")).toMatch(/đồng ý/i);
    expect(await type(u, "co")).toMatch(/tên (quý )?doanh nghiệp/i);
    expect(await type(u, "Công ty TNHH Biển Xanh")).toMatch(/định danh/i);
    // Back at a question: the previous question again, never saved as the answer.
    expect(await type(u, "quay lại")).toMatch(/tên (quý )?doanh nghiệp/i);
    expect(await type(u, "Công ty TNHH Biển Xanh Nha Trang")).toMatch(/định danh/i);
    expect(await type(u, "1")).toMatch(/mã số thuế/i);
    // Back at a text step keeps the earlier answers: the identification question again.
    expect(await type(u, "quay lai")).toMatch(/định danh/i);
    expect(await type(u, "1")).toMatch(/mã số thuế/i);
    expect(await type(u, "0100109106")).toMatch(/1\. Dịch vụ, du lịch/);
    expect(await type(u, "du lich")).toMatch(/Siêu nhỏ/);
    expect(await type(u, "15")).toMatch(/Vui lòng chọn từ 1 đến 5/);
    expect(await type(u, "2")).toMatch(/địa chỉ/i);
    expect(await type(u, "12 Trần Phú, Nha Trang")).toMatch(/người liên hệ|họ và tên|họ tên/i);
    expect(await type(u, "Nguyễn Văn An")).toMatch(/điện thoại/i);
    const email = await type(u, "0912345678");
    expect(email).toMatch(/email/i);
    expect(email).toMatch(/1\. Bỏ qua/);
    const support = await type(u, "1");
    expect(support).toMatch(/Xong/);
    const picked = await type(u, "1 và 3");
    expect(picked).toMatch(/✅/);
    const summary = await type(u, "xong");
    expect(summary).toContain("Công ty TNHH Biển Xanh Nha Trang");
    expect(summary).not.toContain("quay lại");
    expect(await type(u, "có")).toMatch(/Công ty TNHH Biển Xanh Nha Trang/);
    const saved = await db.connection.collection("enterprises").find({ taxCode: "0100109106" }).toArray();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ name: "Công ty TNHH Biển Xanh Nha Trang", sector: "services_tourism", size: "small" });
    expect(JSON.stringify(saved[0])).not.toMatch(/"email":"1"/);
  });

  it("hủy in a second form leaves nothing saved", async () => {
    const u = "z-typed-2";
    await type(u, "dang ky dn");
    await type(u, "có");
    await type(u, "Hợp tác xã Đá Bàn");
    await type(u, "1");
    await type(u, "0300588569");
    const cancelled = await type(u, "hủy");
    expect(cancelled).toMatch(/Đã hủy/);
    expect(await db.connection.collection("enterprises").countDocuments({ taxCode: "0300588569" })).toBe(0);
    expect(await db.connection.collection("enterprises").countDocuments({})).toBe(1);
  });

  it("learning loop: counters per intent, and unmatched phrases stored scrubbed, listed by the admin CLI", async () => {
    const u = "z-typed-3";
    await type(u, "/start");
    expect(await type(u, "chào sở ạ")).toMatch(/Sở Khoa học và Công nghệ Khánh Hòa xin chào/);
    const honest = await type(u, "được hỗ trợ mấy triệu");
    expect(honest).toMatch(/Bản tóm tắt Kế hoạch không nêu/);
    expect(honest).not.toMatch(/50 doanh nghiệp|chỉ tiêu/i);
    expect(honest).toMatch(/1\. Gửi câu hỏi cho cán bộ/);
    await type(u, "menu");
    for (let i = 0; i < 2; i++) await type(u, "gọi lại cho tôi số 0912 345 678 hoặc an.nguyen@example.vn, MST 0100109106");
    const metrics = await app.metrics.render();
    expect(metrics).toMatch(/bot_understanding_total\{outcome="understood",intent="greeting"\} 1/);
    expect(metrics).toMatch(/bot_understanding_total\{outcome="understood",intent="not_covered"\} 1/);
    expect(metrics).toMatch(/bot_understanding_total\{outcome="fallback",intent="none"\} 2/);
    const stored = JSON.stringify(await db.connection.collection("unrecognised_phrases").find({}).toArray());
    expect(stored).not.toMatch(/0912|345 678|example\.vn|0100109106|z-typed/);
    const lines: string[] = [];
    const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l) };
    expect(await runCli(["phrases", "unrecognised"], { io, open: openCliContext(db, queueRecorder()), renderer })).toBe(0);
    expect(lines).toContainEqual("    2  gọi lại cho tôi số <số> hoặc <email>, MST <số>");
  });
});
