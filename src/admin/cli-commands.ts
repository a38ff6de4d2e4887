import { parseArgs, type ParseArgsConfig } from "node:util";
import type { BroadcastService } from "../jobs/broadcasts.js";
import type { Audience } from "../jobs/audience.js";
import { audienceSchema } from "../jobs/audience.js";
import type { CourseAdmin, CourseFields } from "./course-admin.js";
import type { StaffAccess, StaffChange } from "./staff-access.js";
import { parseWhen } from "./when.js";

/** What the commands act on; opened only once the arguments are valid. */
export interface CliContext {
  courses: CourseAdmin;
  broadcasts: BroadcastService;
  access: StaffAccess;
  timeZone: string;
  readFile(path: string): Promise<string>;
  writeFile(path: string, content: Buffer): Promise<void>;
}

/** Where the CLI writes. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  summary: string;
  options: Options;
  /** How many positional arguments (after the command words) it takes. */
  positionals: number;
  run(ctx: CliContext, values: Values, args: string[], io: CliIo): Promise<number>;
}

const courseOptions: Options = {
  "title-vi": { type: "string" },
  "title-en": { type: "string" },
  "description-vi": { type: "string" },
  "description-en": { type: "string" },
  start: { type: "string" },
  end: { type: "string" },
  place: { type: "string" },
  url: { type: "string" },
  capacity: { type: "string" },
  deadline: { type: "string" },
  audience: { type: "string" },
};
const courseHelp = `  --title-vi TEXT        title in Vietnamese
  --title-en TEXT        title in English (optional)
  --description-vi TEXT  description (optional; the title when omitted)
  --start WHEN           e.g. "25/12/2026 08:00" (TZ_NAME, Asia/Ho_Chi_Minh) or ISO 8601
  --end WHEN             must be after --start
  --place TEXT | --url URL   where, or the online link
  --capacity N           seats, 1..10000
  --deadline WHEN        registration deadline (default: the start)
  --audience LIST        leaders,workers,officials (default workers)`;

function courseFields(v: Values): CourseFields {
  const map: Array<[keyof CourseFields, string]> = [
    ["title_vi", "title-vi"], ["title_en", "title-en"], ["description_vi", "description-vi"], ["description_en", "description-en"],
    ["start", "start"], ["end", "end"], ["place", "place"], ["online_url", "url"], ["capacity", "capacity"], ["deadline", "deadline"], ["audience", "audience"],
  ];
  const f: CourseFields = {};
  for (const [field, flag] of map) if (typeof v[flag] === "string") f[field] = v[flag] as string;
  return f;
}

const REASONS: Record<string, string> = {
  "staff:course.errors.date": "not a date-time (use 25/12/2026 08:00 or ISO 8601)",
  "staff:course.errors.capacity": "must be a whole number from 1 to 10000",
  "staff:course.errors.audience": "must be leaders, workers and/or officials",
  "staff:course.errors.title": "is required",
  "staff:course.errors.place": "a --place or a --url is required",
  "staff:course.errors.end_before_start": "must be after the start",
  "staff:course.errors.deadline_after_start": "must not be after the start",
  "staff:course.errors.url": "must be an http(s) link",
  "staff:course.errors.not_found": "course not found",
  "staff:course.errors.already_cancelled": "the course is already cancelled",
  "staff:course.errors.empty_file": "the file has no data rows",
  "staff:broadcast.errors.text": "the text is empty or longer than 4000 characters",
  "staff:broadcast.errors.audience": "the audience is not valid",
  "staff:broadcast.errors.not_finished": "the broadcast has not finished or does not exist",
  "staff:broadcast.errors.nothing_to_resend": "nobody to send it again to",
};
const reasonText = (key: string) => REASONS[key] ?? key;

function audienceOf(v: Values): Audience | string {
  const kind = (v.audience as string | undefined) ?? "all";
  const candidate =
    kind === "all" ? { kind }
    : kind === "enterprises" ? { kind, ...(v.sector ? { sector: v.sector } : {}) }
    : kind === "course" ? { kind, courseId: v.course }
    : kind === "language" ? { kind, locale: v.locale }
    : null;
  if (!candidate) return `--audience must be all, enterprises, course or language (got "${kind}")`;
  const parsed = audienceSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  if (kind === "course") return "--audience course needs --course ID";
  if (kind === "language") return "--audience language needs --locale vi|en";
  return "--sector must be one of the sector ids (src/domain/sectors.ts)";
}

/** Prints the outcome of a staff change; exit 0 for an `ok` outcome, 2 for a malformed key, else 1. */
async function reportStaffChange(key: string, change: Promise<StaffChange>, io: CliIo, ok: readonly StaffChange[]): Promise<number> {
  const r = await change;
  if (r === "invalid") {
    io.err(`error: "${key}" is not channel:id (telegram|zalo|terminal)`);
    return 2;
  }
  io.out(`${key}: ${r}`);
  return ok.includes(r) ? 0 : 1;
}

const broadcastOptions: Options = {
  vi: { type: "string" },
  en: { type: "string" },
  audience: { type: "string" },
  sector: { type: "string" },
  course: { type: "string" },
  locale: { type: "string" },
  at: { type: "string" },
};
const broadcastHelp = `  --vi TEXT              the text in Vietnamese (required)
  --en TEXT              the text in English (optional; English readers get Vietnamese otherwise)
  --audience KIND        all (default) | enterprises | course | language
  --sector ID            with enterprises: only this sector
  --course ID            with course: its registrants
  --locale vi|en         with language
  --at WHEN              send later, e.g. "25/12/2026 08:00" (default: now)`;

/** Every command, by its words. */
export const COMMANDS: Record<string, Command> = {
  "course add": {
    usage: "course add --title-vi TEXT --start WHEN --end WHEN (--place TEXT | --url URL) --capacity N [options]",
    summary: "create a course",
    options: courseOptions,
    positionals: 0,
    async run(ctx, v, _a, io) {
      const result = await ctx.courses.create(courseFields(v));
      if (!result.ok) {
        for (const p of result.problems) io.err(`error: ${p.field}: ${reasonText(p.reason)}`);
        return 1;
      }
      io.out(`created course ${result.id}`);
      return 0;
    },
  },
  "course list": {
    usage: "course list",
    summary: "list courses with seats taken and waitlist length",
    options: {},
    positionals: 0,
    async run(ctx, _v, _a, io) {
      const list = await ctx.courses.list(200);
      if (list.length === 0) io.out("no courses");
      for (const c of list) io.out([c.id, c.status, c.startAt.toISOString(), `${c.confirmed}/${c.capacity} seats`, `${c.waitlisted} waiting`, c.title.vi].join("\t"));
      return 0;
    },
  },
  "course edit": {
    usage: "course edit ID [--start WHEN] [--end WHEN] [--place TEXT] [--url URL] [--capacity N] [--deadline WHEN] [--title-vi TEXT] [--title-en TEXT]",
    summary: "change a course; a new time tells its registrants (by the running bot) and moves their reminders",
    options: courseOptions,
    positionals: 1,
    async run(ctx, v, [id], io) {
      const fields = courseFields(v);
      if (Object.keys(fields).length === 0) {
        io.err("error: nothing to change: give at least one option (see --help)");
        return 2;
      }
      const result = await ctx.courses.edit(id!, fields);
      if (!result.ok) {
        io.err(`error: ${reasonText(result.reason)}`);
        return 1;
      }
      io.out(result.moved ? `updated course ${id}; registrants will be told of the new time` : `updated course ${id}`);
      return 0;
    },
  },
  "course close": {
    usage: "course close ID [--cancel]",
    summary: "close registration, or with --cancel cancel the course and tell its registrants",
    options: { cancel: { type: "boolean" } },
    positionals: 1,
    async run(ctx, v, [id], io) {
      const result = v.cancel ? await ctx.courses.cancel(id!) : await ctx.courses.close(id!);
      if (!result.ok) {
        io.err(`error: ${reasonText(result.reason)}`);
        return 1;
      }
      io.out(v.cancel ? `cancelled course ${id}` : `closed registration for course ${id}`);
      return 0;
    },
  },
  "course import": {
    usage: "course import FILE.csv",
    summary: "create courses from a CSV file (header: title_vi,title_en,description_vi,description_en,start,end,place,online_url,capacity,deadline,audience); all or nothing",
    options: {},
    positionals: 1,
    async run(ctx, _v, [file], io) {
      let text: string;
      try {
        text = await ctx.readFile(file!);
      } catch {
        io.err(`error: cannot read ${file}`);
        return 1;
      }
      const result = await ctx.courses.importCsv(text);
      if (!result.ok) {
        for (const e of result.errors) for (const p of e.problems) io.err(`error: line ${e.line}: ${p.field}: ${reasonText(p.reason)}`);
        io.err("nothing was imported");
        return 1;
      }
      io.out(`imported ${result.ids.length} course(s): ${result.ids.join(", ")}`);
      return 0;
    },
  },
  "export registrations": {
    usage: "export registrations --course ID --out FILE",
    summary: "write a course's registrations as CSV (UTF-8 with BOM, opens in Excel)",
    options: { course: { type: "string" }, out: { type: "string" } },
    positionals: 0,
    async run(ctx, v, _a, io) {
      if (!v.course || !v.out) {
        io.err("error: --course ID and --out FILE are required");
        return 2;
      }
      const doc = await ctx.courses.exportRegistrations(v.course as string);
      if (!doc) {
        io.err(`error: course ${v.course} not found`);
        return 1;
      }
      await ctx.writeFile(v.out as string, doc.content);
      io.out(`wrote ${v.out}`);
      return 0;
    },
  },
  "export enterprises": {
    usage: "export enterprises --out FILE",
    summary: "write the enterprises and their contact persons as CSV (UTF-8 with BOM)",
    options: { out: { type: "string" } },
    positionals: 0,
    async run(ctx, v, _a, io) {
      if (!v.out) {
        io.err("error: --out FILE is required");
        return 2;
      }
      await ctx.writeFile(v.out as string, (await ctx.courses.exportEnterprises()).content);
      io.out(`wrote ${v.out}`);
      return 0;
    },
  },
  "broadcast preview": {
    usage: "broadcast preview --vi TEXT [options]",
    summary: "show how many contacts a broadcast would reach now (sends nothing)",
    options: broadcastOptions,
    positionals: 0,
    async run(ctx, v, _a, io) {
      const audience = audienceOf(v);
      if (typeof audience === "string") {
        io.err(`error: ${audience}`);
        return 2;
      }
      io.out(`recipients now: ${await ctx.broadcasts.count(audience)}`);
      return 0;
    },
  },
  "broadcast send": {
    usage: "broadcast send --vi TEXT [options]",
    summary: "create a broadcast; the running bot delivers it now or at --at",
    options: broadcastOptions,
    positionals: 0,
    async run(ctx, v, _a, io) {
      const audience = audienceOf(v);
      if (typeof audience === "string") {
        io.err(`error: ${audience}`);
        return 2;
      }
      let sendAt: Date | undefined;
      if (typeof v.at === "string") {
        sendAt = parseWhen(v.at, ctx.timeZone) ?? undefined;
        if (!sendAt) {
          io.err(`error: --at: ${reasonText("staff:course.errors.date")}`);
          return 2;
        }
      }
      const created = await ctx.broadcasts.create({ text: { vi: (v.vi as string | undefined) ?? "", ...(v.en ? { en: v.en as string } : {}) }, audience, ...(sendAt ? { sendAt } : {}), createdBy: "cli" });
      if (!created.ok) {
        io.err(`error: ${reasonText(created.reason)}`);
        return 1;
      }
      const count = await ctx.broadcasts.count(audience);
      io.out(`broadcast ${created.broadcast._id} to ${count} recipient(s) at ${created.broadcast.sendAt.toISOString()} (delivered by the running bot; see: broadcast list)`);
      return 0;
    },
  },
  "broadcast list": {
    usage: "broadcast list",
    summary: "recent broadcasts with their counts",
    options: {},
    positionals: 0,
    async run(ctx, _v, _a, io) {
      const list = await ctx.broadcasts.recent(20);
      if (list.length === 0) io.out("no broadcasts");
      for (const b of list) {
        const c = b.counts;
        io.out([b._id, b.status, new Date(b.sendAt).toISOString(), `recipients=${b.recipients ?? "-"}`, c ? `delivered=${c.delivered} failed=${c.failed} unreachable=${c.unreachable} in_doubt=${c.inDoubt}` : ""].join("\t"));
      }
      return 0;
    },
  },
  "broadcast cancel": {
    usage: "broadcast cancel ID",
    summary: "cancel a scheduled broadcast that has not started",
    options: {},
    positionals: 1,
    async run(ctx, _v, [id], io) {
      if (!(await ctx.broadcasts.cancel(id!))) {
        io.err(`error: broadcast ${id} not found or already started`);
        return 1;
      }
      io.out(`cancelled broadcast ${id}`);
      return 0;
    },
  },
  "broadcast resend": {
    usage: "broadcast resend ID",
    summary: "send a finished broadcast again to its in-doubt and failed recipients",
    options: {},
    positionals: 1,
    async run(ctx, _v, [id], io) {
      const result = await ctx.broadcasts.resend(id!, "cli");
      if (!result.ok) {
        io.err(`error: ${reasonText(result.reason)}`);
        return 1;
      }
      io.out(`resending as broadcast ${result.broadcast._id}`);
      return 0;
    },
  },
  "staff add": {
    usage: "staff add CHANNEL:ID",
    summary: "give staff rights (e.g. telegram:123456)",
    options: {},
    positionals: 1,
    run: (ctx, _v, [key], io) => reportStaffChange(key!, ctx.access.add(key!, "cli"), io, ["added", "already", "configured"]),
  },
  "staff remove": {
    usage: "staff remove CHANNEL:ID",
    summary: "take staff rights away (not from STAFF_IDS)",
    options: {},
    positionals: 1,
    run: (ctx, _v, [key], io) => reportStaffChange(key!, ctx.access.remove(key!, "cli"), io, ["removed"]),
  },
  "staff list": {
    usage: "staff list",
    summary: "who is staff",
    options: {},
    positionals: 0,
    async run(ctx, _v, _a, io) {
      const l = await ctx.access.list();
      for (const k of l.configured) io.out(`${k}\t(STAFF_IDS)`);
      for (const k of l.stored) io.out(`${k}\t(added)`);
      return 0;
    },
  },
};

const GROUPS = ["course", "export", "broadcast", "staff"];

function helpFor(words: string): string {
  const c = COMMANDS[words]!;
  const extra = c.options === courseOptions ? `\n\nOptions:\n${courseHelp}` : c.options === broadcastOptions ? `\n\nOptions:\n${broadcastHelp}` : "";
  return `Usage: npm run admin -- ${c.usage}\n\n${c.summary}${extra}`;
}

function overview(group?: string): string {
  const lines = Object.entries(COMMANDS)
    .filter(([w]) => !group || w.startsWith(`${group} `))
    .map(([words, c]) => `  ${words.padEnd(22)} ${c.summary}`);
  return `Usage: npm run admin -- <command> [options]   (--help after any command for details)\n\nCommands:\n${lines.join("\n")}`;
}

/**
 * Runs `npm run admin -- ...`: validates the arguments first (no database needed for `--help`
 * or a mistake), then opens the context and runs the command. Returns the exit code: 0 ok,
 * 1 the command failed, 2 bad arguments.
 */
export async function runCli(argv: readonly string[], io: CliIo, open: () => Promise<CliContext & { close(): Promise<void> }>): Promise<number> {
  const [group, verb, ...rest] = argv;
  const wantsHelp = (xs: readonly (string | undefined)[]) => xs.some((x) => x === "--help" || x === "-h");
  if (!group || group === "--help" || group === "-h" || group === "help") {
    io.out(overview());
    return group ? 0 : 2;
  }
  if (!GROUPS.includes(group)) {
    io.err(`error: unknown command "${group}"\n\n${overview()}`);
    return 2;
  }
  const words = `${group} ${verb ?? ""}`;
  const command = COMMANDS[words];
  if (!command) {
    if (!verb || wantsHelp([verb])) {
      io.out(overview(group));
      return verb ? 0 : 2;
    }
    io.err(`error: unknown command "${words}"\n\n${overview(group)}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.out(helpFor(words));
    return 0;
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    io.err(`error: ${(error as Error).message}\n\n${helpFor(words)}`);
    return 2;
  }
  if (parsed.positionals.length !== command.positionals) {
    io.err(`error: expected ${command.positionals} argument(s), got ${parsed.positionals.length}\n\n${helpFor(words)}`);
    return 2;
  }
  const ctx = await open();
  try {
    return await command.run(ctx, parsed.values, parsed.positionals, io);
  } finally {
    await ctx.close();
  }
}
