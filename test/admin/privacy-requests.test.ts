/**
 * Requests by phone or letter (issue #12 item 6): show, export and erase an account's data from
 * the command line, decide representation requests as staff; each leaves an audit record and no
 * log line carries personal data.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPrivacyCli, type PrivacyCliContext } from "../../src/admin/privacy-cli.js";
import { createPrivacyRequests } from "../../src/admin/privacy-requests.js";
import type { Database } from "../../src/db/database.js";
import { createEnterprisesRepo } from "../../src/db/enterprises-repo.js";
import { createRepresentationRepo } from "../../src/db/representation-repo.js";
import { createMongoSessionStore } from "../../src/db/session-store.js";
import type { Msg, UserRef } from "../../src/engine/messages.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { NOTICE_JOB, createNoticeJob } from "../../src/jobs/notice-job.js";
import type { JobQueue } from "../../src/jobs/job-queue.js";
import type { Logger } from "../../src/log.js";
import { openTestDatabase } from "../helpers/db.js";
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

function queueRecorder(): JobQueue & { jobs: Array<{ name: string; data: unknown }> } {
  const jobs: Array<{ name: string; data: unknown }> = [];
  return { jobs, define: () => undefined, schedule: async (name, _at, data) => void jobs.push({ name, data }), cancel: async () => 0, pending: async () => [], every: async () => undefined, start: async () => undefined, stop: async () => undefined };
}

function context(queue: JobQueue, logger?: ReturnType<typeof captureLogger>): PrivacyCliContext & { files: Map<string, string> } {
  const files = new Map<string, string>();
  const privacy = createPrivacyRequests({ db, sessions: createMongoSessionStore(db), label: (m, l) => renderer.render(m, l), notifier: createNoticeJob({ queue }).queued, ...(logger ? { logger: logger as unknown as Logger } : {}) });
  return { privacy, files, writeFile: async (p, c) => void files.set(p, c.toString("utf8")), close: async () => undefined };
}

async function run(args: string[], ctx: PrivacyCliContext) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPrivacyCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, async () => ctx);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("privacy requests from the command line", () => {
  it("refuses bad arguments before opening anything", async () => {
    const never = async (): Promise<PrivacyCliContext> => { throw new Error("opened"); };
    const io = { out: () => undefined, err: () => undefined };
    expect(await runPrivacyCli(["show", "0905111000"], io, never)).toBe(2);
    expect(await runPrivacyCli(["erase", "zalo:owner"], io, never)).toBe(2);
    expect(await runPrivacyCli(["frobnicate", "zalo:owner"], io, never)).toBe(2);
    expect(await runPrivacyCli([], io, never)).toBe(2);
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
    expect(erased.out).toContain("1 enterprise link(s)");
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
    expect(approved).toMatchObject({ code: 0, out: `${id}: approved` });
    expect(await enterprises.isContact("0300588569", "telegram:newbie")).toBe(true);
    const notices = queue.jobs.filter((j) => j.name === NOTICE_JOB).map((j) => j.data as { to: string; messages: Msg[] });
    expect(notices.find((n) => n.to === "telegram:newbie")!.messages[0]).toMatchObject({ key: "enterprise:request.approved" });
    expect(notices.find((n) => n.to === "zalo:keeper")!.messages[0]).toMatchObject({ key: "enterprise:request.decided_approved" });
    expect(await run(["approve", id], ctx)).toMatchObject({ code: 1, out: `${id}: not_found` });
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
