import { execFile } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, runCli, type CliContext } from "../../src/admin/cli-commands.js";
import { createStaffModule, type StaffModule } from "../../src/admin/staff-module.js";
import type { Database } from "../../src/db/database.js";
import { openTestDatabase } from "../helpers/db.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) }, out, err };
}

/** Argument checks must not need the database. */
const noDb = async (): Promise<never> => {
  throw new Error("opened the database");
};

describe("admin CLI arguments", () => {
  for (const words of Object.keys(COMMANDS)) {
    it(`prints --help for "${words}"`, async () => {
      const c = capture();
      expect(await runCli([...words.split(" "), "--help"], c.io, noDb)).toBe(0);
      expect(c.out.join("\n")).toContain(`Usage: npm run admin -- ${words}`);
    });
  }

  it("prints the command list for --help and for a group", async () => {
    const c = capture();
    expect(await runCli(["--help"], c.io, noDb)).toBe(0);
    for (const words of Object.keys(COMMANDS)) expect(c.out.join("\n")).toContain(words);
    const g = capture();
    expect(await runCli(["broadcast", "--help"], g.io, noDb)).toBe(0);
    expect(g.out.join("\n")).toContain("broadcast send");
  });

  it.each([
    [[], "Usage"],
    [["frobnicate"], 'unknown command "frobnicate"'],
    [["course", "delete"], 'unknown command "course delete"'],
    [["course", "add", "--colour", "red"], "Unknown option '--colour'"],
    [["course", "add", "--capacity"], "argument missing"],
    [["course", "edit"], "expected 1 argument(s), got 0"],
    [["course", "close", "a", "b"], "expected 1 argument(s), got 2"],
    [["course", "import"], "expected 1 argument(s)"],
    [["export", "registrations", "--course", "x"], "--course ID and --out FILE are required"],
    [["export", "enterprises"], "--out FILE is required"],
    [["staff", "add"], "expected 1 argument(s)"],
  ])("rejects %j with a clear message and exit code 2", async (argv, message) => {
    const c = capture();
    const opened = argv[0] === "export" ? async () => ({ ...({} as CliContext), close: async () => undefined }) : noDb;
    expect(await runCli(argv, c.io, opened)).toBe(2);
    expect([...c.err, ...c.out].join("\n")).toContain(message);
  });

  it("exits non-zero from the real entry point on a bad argument", async () => {
    const run = promisify(execFile);
    const root = resolve(import.meta.dirname, "..", "..");
    const error = (await run(process.execPath, ["--import", "tsx", "src/admin/cli.ts", "course", "add", "--nope"], { cwd: root }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toContain("Unknown option '--nope'");
    const help = await run(process.execPath, ["--import", "tsx", "src/admin/cli.ts", "export", "registrations", "--help"], { cwd: root });
    expect(help.stdout).toContain("Usage: npm run admin -- export registrations --course ID --out FILE");
  }, 60_000);
});

describe("admin CLI on the database", () => {
  let db: Database;
  let staff: StaffModule;
  let dir: string;
  let open: () => Promise<CliContext & { close(): Promise<void> }>;
  const cli = async (...argv: string[]) => {
    const c = capture();
    const code = await runCli(argv, c.io, open);
    return { code, out: c.out.join("\n"), err: c.err.join("\n") };
  };

  beforeAll(async () => {
    db = await openTestDatabase("admin_cli");
    dir = mkdtempSync(join(tmpdir(), "h5-cli-"));
    staff = createStaffModule({ db, staffIds: ["telegram:1"], senders: new Map(), notifier: { notify: async () => ({ ok: true }) }, timeZone: "Asia/Ho_Chi_Minh", reminderOffsetsHours: [24, 2], ratePerSec: { telegram: 30, zalo: 10 } });
    open = async () => ({
      courses: staff.courses,
      broadcasts: staff.broadcasts,
      access: staff.access,
      timeZone: "Asia/Ho_Chi_Minh",
      readFile: async (p) => readFileSync(p, "utf8"),
      writeFile: async (p, c) => writeFileSync(p, c),
      close: async () => undefined,
    });
  });
  afterAll(async () => {
    await staff?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds, lists, edits, closes, cancels and imports courses, and exports registrations with a BOM", async () => {
    const added = await cli("course", "add", "--title-vi", "Lớp Kaizen", "--start", "20/12/2030 08:00", "--end", "20/12/2030 11:00", "--place", "Nha Trang", "--capacity", "30");
    expect(added.code, added.err).toBe(0);
    const id = /created course (\w+)/.exec(added.out)![1]!;
    const bad = await cli("course", "add", "--title-vi", "X", "--start", "hôm nay", "--end", "20/12/2030 11:00", "--capacity", "0");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("start: not a date-time");
    expect(bad.err).toContain("capacity: must be a whole number");
    expect((await cli("course", "list")).out).toMatch(new RegExp(`${id}\\topen\\t2030-12-20T01:00:00.000Z\\t0/30 seats\\t0 waiting\\tLớp Kaizen`));
    const moved = await cli("course", "edit", id, "--start", "21/12/2030 08:00", "--end", "21/12/2030 11:00");
    expect(moved.out).toContain("registrants will be told");
    expect(await staff.queue.pending("course:changed", { courseId: id })).toHaveLength(1);
    expect((await cli("course", "edit", id, "--end", "01/01/2020 08:00")).err).toContain("must be after the start");
    expect((await cli("course", "close", id)).code).toBe(0);
    expect((await cli("course", "close", id, "--cancel")).code).toBe(0);
    expect((await cli("course", "close", id, "--cancel")).err).toContain("already cancelled");
    expect((await cli("course", "close", "nope")).err).toContain("course not found");

    const csv = join(dir, "courses.csv");
    writeFileSync(csv, "\uFEFFtitle_vi,start,end,place,capacity\nLớp A,10/01/2031 08:00,10/01/2031 11:00,Cam Ranh,20\nLớp B,bad,10/01/2031 11:00,Cam Ranh,20\n");
    const rejected = await cli("course", "import", csv);
    expect(rejected.code).toBe(1);
    expect(rejected.err).toContain("line 3: start");
    writeFileSync(csv, "title_vi,start,end,place,capacity\nLớp A,10/01/2031 08:00,10/01/2031 11:00,Cam Ranh,20\nLớp B,11/01/2031 08:00,11/01/2031 11:00,,15\n");
    expect((await cli("course", "import", csv)).err).toContain("line 3: place");
    writeFileSync(csv, "title_vi,start,end,place,capacity\nLớp A,10/01/2031 08:00,10/01/2031 11:00,Cam Ranh,20\n");
    expect((await cli("course", "import", csv)).out).toContain("imported 1 course(s)");

    const out = join(dir, "regs.csv");
    expect((await cli("export", "registrations", "--course", id, "--out", out)).code).toBe(0);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toContain("registration_id,course_id");
    expect((await cli("export", "registrations", "--course", "nope", "--out", out)).code).toBe(1);
    expect((await cli("export", "enterprises", "--out", join(dir, "ent.csv"))).code).toBe(0);
  });

  it("creates, lists and cancels broadcasts and manages staff", async () => {
    expect((await cli("broadcast", "send", "--vi", "Xin chào", "--audience", "language")).err).toContain("--locale vi|en");
    expect((await cli("broadcast", "send", "--vi", "Xin chào", "--audience", "enterprises", "--sector", "mining")).err).toContain("--sector");
    expect((await cli("broadcast", "send", "--vi", "Xin chào", "--at", "someday")).code).toBe(2);
    expect((await cli("broadcast", "send", "--vi", "  ")).err).toContain("text is empty");
    expect((await cli("broadcast", "preview", "--vi", "x")).out).toContain("recipients now: 0");
    const sent = await cli("broadcast", "send", "--vi", "Xin chào", "--en", "Hello", "--at", "01/01/2031 08:00");
    expect(sent.code, sent.err).toBe(0);
    const id = /broadcast (\w+)/.exec(sent.out)![1]!;
    expect((await cli("broadcast", "list")).out).toContain(`${id}\tscheduled\t2031-01-01T01:00:00.000Z`);
    expect((await cli("broadcast", "cancel", id)).code).toBe(0);
    expect((await cli("broadcast", "cancel", id)).code).toBe(1);
    expect((await cli("broadcast", "resend", id)).err).toContain("has not finished");

    expect((await cli("staff", "add", "zalo:abc")).out).toContain("zalo:abc: added");
    expect((await cli("staff", "add", "fax:1")).code).toBe(2);
    expect((await cli("staff", "list")).out).toContain("zalo:abc\t(added)");
    expect((await cli("staff", "remove", "zalo:abc")).code).toBe(0);
    expect((await cli("staff", "remove", "telegram:1")).out).toContain("configured");
  });
});
