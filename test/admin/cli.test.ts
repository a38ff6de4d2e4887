import { execFile } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram, runCli } from "../../src/admin/cli/program.js";
import type { OpenContext } from "../../src/admin/cli/types.js";
import type { StaffModule } from "../../src/admin/staff-module.js";
import type { Services } from "../../src/composition/services.js";
import type { Database } from "../../src/db/database.js";
import { createTicketsRepo } from "../../src/db/tickets-repo.js";
import type { Msg } from "../../src/engine/messages.js";
import { createRenderer } from "../../src/i18n/renderer.js";
import { NOTICE_JOB } from "../../src/jobs/notice-job.js";
import { openCliContext } from "../helpers/cli-context.js";
import { openTestDatabase } from "../helpers/db.js";

const root = resolve(import.meta.dirname, "..", "..");
const renderer = createRenderer({ localesDir: resolve(root, "locales"), timeZone: "Asia/Ho_Chi_Minh" });

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

/** Argument checks must not need the database. */
const noDb: OpenContext = async () => {
  throw new Error("opened the database");
};

/** Every leaf command's words, read from the commander program itself. */
function leafCommands(): string[] {
  const program = buildProgram({ io: capture().io, open: noDb, renderer }, () => undefined);
  const walk = (cmd: Command, prefix: string[]): string[] =>
    cmd.commands.length === 0 ? [prefix.join(" ")] : cmd.commands.flatMap((c) => walk(c, [...prefix, c.name()]));
  return walk(program, []);
}

const run = async (argv: string[], open: OpenContext = noDb) => {
  const c = capture();
  const code = await runCli(argv, { io: c.io, open, renderer, defaultLocale: "en" });
  return { code, out: c.out.join("\n"), err: c.err.join("\n") };
};

describe("admin CLI arguments (commander)", () => {
  const leaves = leafCommands();
  it("has every command", () => {
    expect(leaves).toEqual(expect.arrayContaining(["course add", "course edit", "course import", "export registrations", "broadcast preview", "broadcast send", "staff remove", "privacy show", "privacy export", "privacy erase", "privacy requests", "privacy approve", "privacy decline", "tickets list", "tickets close", "tickets reply", "phrases unrecognised"]));
  });
  for (const words of leaves) {
    it(`prints commander's --help for "${words}" without the database`, async () => {
      const r = await run([...words.split(" "), "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: npm run admin -- ${words}`);
      expect(r.out).toContain("-h, --help");
    });
  }

  it("lists every option of course edit in its help (one definition, no drift)", async () => {
    const r = await run(["course", "edit", "--help"]);
    for (const flag of ["--title-vi", "--title-en", "--description-vi", "--start", "--end", "--place", "--url", "--capacity", "--deadline", "--audience"]) expect(r.out).toContain(flag);
    expect(r.out).toContain("<id>");
  });

  it("prints the groups for --help and the commands of a group", async () => {
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    for (const g of ["course", "export", "broadcast", "staff", "privacy", "tickets", "phrases"]) expect(top.out).toContain(g);
    const g = await run(["broadcast", "--help"]);
    expect(g.out).toContain("send");
  });

  it.each([
    [[], "Usage"],
    [["frobnicate"], "unknown command 'frobnicate'"],
    [["course", "delete"], "unknown command 'delete'"],
    [["course", "add", "--title-vi", "x", "--start", "s", "--end", "e", "--capacity", "1", "--colour", "red"], "unknown option '--colour'"],
    [["course", "add", "--title-vi", "x", "--start", "1/1/2031", "--end", "2/1/2031"], "required option '--capacity <value>' not specified"],
    [["course", "edit"], "missing required argument 'id'"],
    [["course", "edit", "abc"], "nothing to change"],
    [["course", "close", "a", "b"], "too many arguments"],
    [["course", "import"], "missing required argument 'file'"],
    [["export", "registrations", "--course", "x"], "required option '--out <file>' not specified"],
    [["export", "enterprises"], "required option '--out <file>' not specified"],
    [["broadcast", "preview"], "required option '--vi <text>' not specified"],
    [["broadcast", "send", "--vi", "x", "--audience", "language"], "--audience language needs --locale"],
    [["broadcast", "send", "--vi", "x", "--audience", "everyone"], "Allowed choices are all, enterprises, course, language"],
    [["broadcast", "send", "--vi", "x", "--audience", "enterprises", "--sector", "mining"], "Allowed choices are services_tourism, agro_processing"],
    [["staff", "add"], "missing required argument"],
    [["staff", "add", "fax:1"], "\"fax:1\" is not a valid id"],
    [["--lang", "fr", "staff", "list"], "Allowed choices are vi, en"],
    [["privacy", "show"], "missing required argument 'channel:id'"],
    [["privacy", "export", "0905111000"], "is not channel:id"],
    [["privacy", "erase", "zalo:abc"], "add --yes to confirm"],
    [["privacy", "decline"], "missing required argument 'request-id'"],
    [["tickets", "close"], "missing required argument 'n'"],
    [["tickets", "close", "abc"], "The ticket number must be a whole number"],
    [["tickets", "reply", "3"], "missing required argument 'text'"],
    [["tickets", "reply", "0", "hello"], "The ticket number must be a whole number"],
    [["tickets", "reply", "3", "  "], "The answer is empty"],
    [["tickets", "frobnicate"], "unknown command 'frobnicate'"],
    [["phrases", "unrecognised", "--days", "0"], "--days must be a whole number of days"],
    [["phrases", "unrecognised", "--days"], "argument missing"],
  ])("rejects %j with a clear message and exit code 2, before opening the database", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(`${r.err}\n${r.out}`).toContain(message);
  });

  it("speaks Vietnamese with --lang vi", async () => {
    const r = await run(["--lang", "vi", "staff", "add", "fax:1"]);
    expect(r.err).toContain("không");
  });

  it("exits non-zero from the real entry point on a bad argument, and help comes from commander", async () => {
    const exec = promisify(execFile);
    const error = (await exec(process.execPath, ["--import", "tsx", "src/admin/cli.ts", "broadcast", "preview"], { cwd: root }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain("required option '--vi <text>' not specified");
    const help = await exec(process.execPath, ["--import", "tsx", "src/admin/cli.ts", "--help"], { cwd: root });
    expect(help.stdout).toContain("Usage: npm run admin -- [options] [command]");
    const sub = await exec(process.execPath, ["--import", "tsx", "src/admin/cli.ts", "export", "registrations", "--help"], { cwd: root });
    expect(sub.stdout).toContain("Usage: npm run admin -- export registrations [options]");
  }, 60_000);
});

describe("admin CLI on the database", () => {
  let db: Database;
  let staff: StaffModule;
  let services: Services;
  let dir: string;
  let open: OpenContext;
  const cli = (...argv: string[]) => run(argv, open);

  beforeAll(async () => {
    db = await openTestDatabase("admin_cli");
    dir = mkdtempSync(join(tmpdir(), "h5-cli-"));
    // The CLI's own services, from the composition root: staff ids and the deep link come from the settings.
    const context = openCliContext(db, undefined, {
      env: { STAFF_IDS: "telegram:1", TELEGRAM_BOT_USERNAME: "nscl_test_bot", REMINDER_OFFSETS_HOURS: "24,2", TZ_NAME: "Asia/Ho_Chi_Minh" },
      readFile: async (p: string) => readFileSync(p, "utf8"),
      writeFile: async (p: string, c: Buffer) => writeFileSync(p, c),
    });
    services = context.services;
    staff = services.staff;
    open = context;
  });
  afterAll(async () => {
    await services?.sessions.close();
    await staff?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds, lists, edits, closes, cancels and imports courses, and exports registrations", async () => {
    const added = await cli("course", "add", "--title-vi", "Lớp Kaizen", "--start", "20/12/2030 08:00", "--end", "20/12/2030 11:00", "--place", "Nha Trang", "--capacity", "30");
    expect(added.code, added.err).toBe(0);
    const id = /created course (\w+)/.exec(added.out)![1]!;
    const bad = await cli("course", "add", "--title-vi", "X", "--start", "hôm nay", "--end", "20/12/2030 11:00", "--capacity", "0");
    expect(bad.code).toBe(1);
    // The chat's own texts, not codes.
    expect(bad.err).toContain("start: I could not read the date in “Start”");
    expect(bad.err).toContain("capacity: Seats must be a whole number from 1 to 10000.");
    expect((await cli("course", "list")).out).toMatch(new RegExp(`${id}\\topen\\t20/12/2030 08:00\\t0/30\\t0 waiting\\tLớp Kaizen`));
    const moved = await cli("course", "edit", id, "--start", "21/12/2030 08:00", "--end", "21/12/2030 11:00");
    expect(moved.out).toContain("registrants will be told");
    expect(await staff.queue.pending("course:changed", { courseId: id })).toHaveLength(1);
    expect((await cli("course", "edit", id, "--end", "01/01/2020 08:00")).err).toContain("The end must be after the start.");
    expect((await cli("course", "close", id)).code).toBe(0);
    expect((await cli("course", "close", id, "--cancel")).code).toBe(0);
    expect((await cli("course", "close", id, "--cancel")).err).toContain("This course was already cancelled.");
    const missing = await cli("course", "close", "nope");
    expect(missing.err).toBe("error: Course not found.");
    expect(missing.err).not.toContain("not_found");

    const csv = join(dir, "courses.csv");
    writeFileSync(csv, "\uFEFFtitle_vi,start,end,place,capacity\nLớp A,10/01/2031 08:00,10/01/2031 11:00,Cam Ranh,20\nLớp B,bad,10/01/2031 11:00,Cam Ranh,20\n");
    const rejected = await cli("course", "import", csv);
    expect(rejected.code).toBe(1);
    expect(rejected.err).toContain("line 3: start");
    expect(rejected.err).toContain("Nothing was imported.");
    writeFileSync(csv, "title_vi,start,end,place,capacity\nLớp A,10/01/2031 08:00,10/01/2031 11:00,Cam Ranh,20\n");
    const comma = await cli("course", "import", csv);
    expect(comma.out).toContain("separated by “,”");
    expect(comma.out).toContain("imported 1 course(s)");
    // What Excel saves with Vietnamese regional settings: semicolons, and commas inside values.
    writeFileSync(csv, "\uFEFFtitle_vi;start;end;place;capacity\r\nLớp B, nâng cao;11/01/2031 08:00;11/01/2031 11:00;\"Nha Trang; phòng 2\";15\r\n");
    const semi = await cli("course", "import", csv);
    expect(semi.code, semi.err).toBe(0);
    expect(semi.out).toContain("separated by “;”");
    expect((await cli("course", "list")).out).toContain("Lớp B, nâng cao");

    const out = join(dir, "regs.csv");
    expect((await cli("export", "registrations", "--course", id, "--out", out)).code).toBe(0);
    expect((await cli("export", "registrations", "--course", "nope", "--out", out)).err).toContain("Course not found.");
    expect((await cli("export", "enterprises", "--out", join(dir, "ent.csv"))).code).toBe(0);
  });

  it("reschedules (end follows), reopens, and asks before lowering capacity below the seated", async () => {
    const added = await cli("course", "add", "--title-vi", "Lớp 5S", "--start", "20/12/2030 08:00", "--end", "20/12/2030 11:00", "--place", "Nha Trang", "--capacity", "2");
    const id = /created course (\w+)/.exec(added.out)![1]!;
    expect((await cli("course", "reschedule", id)).err).toContain("required option '--start <when>'");
    const moved = await cli("course", "reschedule", id, "--start", "22/12/2030 13:30");
    expect(moved.code, moved.err).toBe(0);
    expect(moved.out).toContain("one notice each");
    expect((await cli("course", "list")).out).toContain(`${id}\topen\t22/12/2030 13:30`);
    const c = (await staff.courses.list(50)).find((x) => x.id === id)!;
    expect(c.endAt.toISOString()).toBe("2030-12-22T09:30:00.000Z");
    expect((await cli("course", "close", id)).code).toBe(0);
    expect((await cli("course", "reopen", id)).out).toContain("Registration is open again.");
    await db.models.registration.create({ courseId: id, contactId: "telegram:5", fullName: "A", phone: "+84901234567", accountKey: "telegram:5", consentAt: new Date(), status: "confirmed", statusRank: 2, seatNo: 1 });
    await db.models.registration.create({ courseId: id, contactId: "telegram:6", fullName: "B", phone: "+84901234568", accountKey: "telegram:6", consentAt: new Date(), status: "confirmed", statusRank: 2, seatNo: 2 });
    const lower = await cli("course", "edit", id, "--capacity", "1");
    expect(lower.code).toBe(1);
    expect(lower.err).toContain("2 people already hold a seat, more than 1");
    expect(lower.err).toContain("--confirm-lower");
    expect((await cli("course", "edit", id, "--capacity", "1", "--confirm-lower")).code).toBe(0);

    const qr = join(dir, "poster.png");
    const link = await cli("course", "link", id, "--qr", qr);
    expect(link.code, link.err).toBe(0);
    expect(link.out).toMatch(/https:\/\/t\.me\/nscl_test_bot\?start=KH\d+/);
    expect(link.out).toMatch(/Zalo: send “KH\d+”/);
    expect([...readFileSync(qr).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect((await cli("course", "link", "nope")).err).toContain("Course not found.");
  });

  it("creates, lists and cancels broadcasts and manages staff", async () => {
    expect((await cli("broadcast", "send", "--vi", "Xin chào", "--at", "someday")).code).toBe(2);
    expect((await cli("broadcast", "send", "--vi", "  ")).err).toContain("The announcement is empty or too long.");
    expect((await cli("broadcast", "preview", "--vi", "x")).out).toContain("recipients now: 0");
    const sent = await cli("broadcast", "send", "--vi", "Xin chào", "--en", "Hello", "--at", "01/01/2031 08:00");
    expect(sent.code, sent.err).toBe(0);
    const id = /broadcast (\w+)/.exec(sent.out)![1]!;
    expect((await cli("broadcast", "list")).out).toContain(`${id}\tscheduled\t01/01/2031 08:00`);
    expect((await cli("broadcast", "cancel", id)).code).toBe(0);
    expect((await cli("broadcast", "cancel", id)).code).toBe(1);
    expect((await cli("broadcast", "resend", id)).err).toContain("has not finished");

    expect((await cli("staff", "add", "zalo:abc")).out).toContain("zalo:abc is now staff.");
    expect((await cli("staff", "list")).out).toContain("zalo:abc\t(added)");
    expect((await cli("staff", "remove", "zalo:abc")).code).toBe(0);
    const again = await cli("staff", "remove", "zalo:abc");
    expect(again.code).toBe(1);
    expect(again.err).toBe("error: zalo:abc is not among the added staff.");
    expect((await cli("staff", "remove", "telegram:1")).err).toContain("STAFF_IDS");
  });

  it("lists, answers (queued for the running bot) and closes tickets as the chat's /reply does", async () => {
    const repo = createTicketsRepo(db);
    const n = await repo.open({ contactId: "zalo:asker", channel: "zalo", userId: "asker", name: "Chị Hoa", question: "Khi nào\nmở lớp ISO?", createdAt: new Date() });
    expect((await cli("tickets", "list")).out).toContain(`#${n} · not answered · Chị Hoa (zalo): Khi nào mở lớp ISO?`);
    const replied = await cli("tickets", "reply", String(n), "Tháng", "sau", "ạ", "--by", "staff:lan");
    expect(replied.code, replied.err).toBe(0);
    expect(replied.out).toContain(`Answer to ticket #${n} recorded; the running bot sends it`);
    const notices = await staff.queue.pending<{ to: string; messages: Msg[] }>(NOTICE_JOB, { to: "zalo:asker" });
    expect(notices.map((j) => j.data.messages)).toEqual([[{ key: "handoff:answer", params: { number: n, answer: "Tháng sau ạ" } }]]);
    expect(await repo.get(n)).toMatchObject({ status: "answered", answer: "Tháng sau ạ", answeredBy: "staff:lan" });
    expect((await cli("tickets", "list")).out).toContain(`#${n} · answered`);
    expect((await cli("tickets", "reply", "999", "hello")).err).toBe("error: There is no ticket #999.");
    expect((await cli("tickets", "close", String(n))).out).toBe(`Ticket #${n} closed.`);
    const closed = await cli("tickets", "reply", `#${n}`, "again");
    expect(closed).toMatchObject({ code: 1, err: `error: Ticket #${n} is closed.` });
    expect(await staff.queue.pending(NOTICE_JOB, { to: "zalo:asker" })).toHaveLength(1);
    expect((await cli("tickets", "close", String(n))).code).toBe(1);
    expect((await cli("--lang", "vi", "tickets", "close", String(n))).err).toContain("phiếu đã đóng");
  });
});
