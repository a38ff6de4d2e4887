/**
 * Requests by phone or letter (issue #12 item 6): show, export and erase an account's data from
 * the command line, decide representation requests as staff; each leaves an audit record and no
 * log line carries personal data.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/admin/cli/program.js";
import type { OpenContext } from "../../src/admin/cli/types.js";
import type { Database } from "../../src/db/database.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import { createRepresentationRepo } from "../../src/db/representation-repo.js";
import type { Msg, UserRef } from "../../src/engine/messages.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { NOTICE_JOB, createNoticeJob } from "../../src/jobs/notice-job.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";
import type { Logger } from "../../src/shared/logger.js";
import { openTestDatabase } from "../helpers/db.js";
import { openCliContext, queueRecorder } from "../helpers/cli-context.js";
import { captureLogger } from "../channels/capture-logger.js";

let db: Database;
const renderer = createRenderer({ localesDir: resolve(import.meta.dirname, "..", "..", "locales"), timeZone: "Asia/Ho_Chi_Minh" });
const consentAt = new Date("2026-01-15T00:00:00Z");
const person = (id: string, name: string, phone: string) => ({ contactId: id, name, phone, email: null, consentAt });

beforeAll(async () => {
  db = await openTestDatabase("h3_privacy_requests");
  const enterprises = createEnterprisesRepo(db);
  await enterprises.create({ name: "Công ty Đèn Biển", taxCode: "0100109106", sector: "other", size: "small", address: "Phường Cam Ranh", supportInterests: [], contact: person("zalo:owner", "Võ Thị Hạnh", "+84905111000") });
  await db.models.contact.create({ _id: "zalo:owner", channel: "zalo", userId: "owner", lastSeenAt: new Date() });
  await createRepresentationRepo(db).create("0100109106", person("telegram:asker", "Lâm Văn Hỏi", "+84905222000"), new Date());
});
afterAll(async () => {
  await db?.close();
});

function context(queue: JobQueue, logger?: ReturnType<typeof captureLogger>) {
  return openCliContext(db, queue, logger ? { logger: logger as unknown as Logger } : {});
}

async function run(args: string[], open: OpenContext, lang: "vi" | "en" = "en") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["privacy", ...args], { io: { out: (l) => void out.push(l), err: (l) => void err.push(l) }, open, renderer, defaultLocale: lang });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("privacy requests from the command line", () => {
  it("refuses bad arguments before opening anything", async () => {
    const never: OpenContext = async () => { throw new Error("opened"); };
    expect(await run(["show", "0905111000"], never)).toMatchObject({ code: 2, err: expect.stringContaining("“0905111000” is not channel:id") });
    expect(await run(["erase", "zalo:owner"], never)).toMatchObject({ code: 2, err: expect.stringContaining("add --yes to confirm") });
    expect((await run(["erase", "zalo:owner"], never, "vi")).err).toContain("thêm --yes để xác nhận");
    expect(await run(["frobnicate", "zalo:owner"], never)).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'frobnicate'") });
    expect(await run(["approve"], never)).toMatchObject({ code: 2, err: expect.stringContaining("missing required argument 'request-id'") });
    expect(await run(["show", "zalo:a", "zalo:b"], never)).toMatchObject({ code: 2, err: expect.stringContaining("too many arguments") });
    expect((await run([], never)).code).toBe(2);
    const help = await run(["--help"], never);
    expect(help.code).toBe(0);
    for (const verb of ["show", "export", "erase", "requests", "approve", "decline"]) expect(help.out).toContain(verb);
  });

  it("shows, exports and erases one account, auditing each without personal data in the log", async () => {
    const logger = captureLogger();
    const queue = queueRecorder();
    const ctx = context(queue, logger);
    const shown = await run(["show", "zalo:owner", "--by", "staff:lan"], ctx);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain("Võ Thị Hạnh");
    expect(shown.out).toContain("Công ty Đèn Biển");
    const exported = await run(["export", "zalo:owner", "--out", "owner.json", "--by", "staff:lan"], ctx);
    expect(exported.code).toBe(0);
    const json = JSON.parse(ctx.files.get("owner.json")!) as { enterpriseContacts: Array<{ name: string }>; enterprises: Array<{ name: string }> };
    expect(json.enterpriseContacts[0]!.name).toBe("Võ Thị Hạnh");
    expect(json.enterprises[0]!.name).toBe("Công ty Đèn Biển");
    const erased = await run(["erase", "zalo:owner", "--yes", "--by", "staff:lan"], ctx);
    expect(erased.code).toBe(0);
    expect(erased.out).toContain("Erased zalo:owner: 0 registration(s), 1 enterprise link(s), 0 request(s); unsubscribed.");
    expect(await db.models.enterpriseContact.countDocuments({ contactId: "zalo:owner" })).toBe(0);
    expect((await db.models.contact.findById("zalo:owner").lean())!.subscribed).toBe(false);

    const audit = await db.models.privacyAudit.find({}).sort({ at: 1 }).lean();
    expect(audit.map((a) => [a.by, a.action, a.subject])).toEqual([["staff:lan", "show", "zalo:owner"], ["staff:lan", "export", "zalo:owner"], ["staff:lan", "erase", "zalo:owner"]]);
    expect(audit.every((a) => a.at instanceof Date)).toBe(true);
    const logged = logger.text();
    for (const secret of ["Võ Thị Hạnh", "905111000", "Đèn Biển", "zalo:owner"]) expect(logged).not.toContain(secret);
    expect(logger.lines.filter((l) => l.message === "privacy request answered")).toHaveLength(3);
  });

  it("staff approve a representation request from the CLI; the requester's notice is queued for the bot", async () => {
    const enterprises = createEnterprisesRepo(db);
    await enterprises.create({ name: "Công ty Hải Đăng", taxCode: "0300588569", sector: "other", size: "small", address: "Xã Vạn Ninh", supportInterests: [], contact: person("zalo:keeper", "Đinh Gác", "+84905333000") });
    const { id } = await createRepresentationRepo(db).create("0300588569", person("telegram:newbie", "Mới Đến", "+84905444000"), new Date());
    const queue = queueRecorder();
    const ctx = context(queue);
    const listed = await run(["requests"], ctx);
    expect(listed.out).toContain(id);
    const approved = await run(["approve", id, "--by", "staff:lan"], ctx);
    expect(approved).toMatchObject({ code: 0, out: `${id}: Approved. The person is now a contact and has been told.` });
    expect(await enterprises.isContact("0300588569", "telegram:newbie")).toBe(true);
    const notices = queue.jobs.filter((j) => j.name === NOTICE_JOB).map((j) => j.data as { to: string; messages: Msg[] });
    expect(notices.find((n) => n.to === "telegram:newbie")!.messages[0]).toMatchObject({ key: "enterprise:request.approved" });
    expect(notices.find((n) => n.to === "zalo:keeper")!.messages[0]).toMatchObject({ key: "enterprise:request.decided_approved" });
    // Decided once: the second decision finds nothing waiting and changes nothing.
    const again = await run(["approve", id], ctx);
    expect(again).toMatchObject({ code: 1, err: `error: ${id}: This request is no longer waiting (someone may have decided it already).` });
    expect(queue.jobs.filter((j) => j.name === NOTICE_JOB)).toHaveLength(notices.length);
    expect((await db.models.privacyAudit.find({ subject: id }).lean()).map((a) => [a.action, (a.result as { outcome: string }).outcome])).toEqual([["approve", "approved"], ["approve", "not_found"]]);
  });

  it("the bot sends a queued notice once, in the person's language", async () => {
    const handlers = new Map<string, (data: unknown) => Promise<void>>();
    const sent: Array<{ user: UserRef; messages: Msg[] }> = [];
    const claims = new Set<string>();
    const queue = { ...queueRecorder(), define: (name: string, h: (data: unknown) => Promise<void>) => void handlers.set(name, h) } as unknown as JobQueue;
    createNoticeJob({ queue, notifier: { notify: async (user, messages) => (sent.push({ user, messages }), { ok: true }) }, claims: { claimOnce: async (k: string) => (claims.has(k) ? false : (claims.add(k), true)) } }).register();
    const data = { id: "n1", to: "telegram:newbie", messages: [{ key: "enterprise:request.approved" }] };
    await handlers.get(NOTICE_JOB)!(data);
    await handlers.get(NOTICE_JOB)!(data);
    expect(sent).toEqual([{ user: { channel: "telegram", userId: "newbie" }, messages: [{ key: "enterprise:request.approved" }] }]);
  });
});
