/** `course add|list|edit|close|import`: course administration from the command line. */
import { Option, type Command } from "commander";
import { COURSE_AUDIENCES } from "../../../domain/course.js";
import type { CourseFields, FieldProblem } from "../../course-admin.js";
import { formatLocal } from "../format.js";
import type { CliModule, CliRuntime } from "../types.js";

/** One definition per course option: its flag, the field it fills, its help. */
const COURSE_FLAGS: ReadonlyArray<{ flag: string; field: keyof CourseFields; help: string }> = [
  { flag: "title-vi", field: "title_vi", help: "title in Vietnamese" },
  { flag: "title-en", field: "title_en", help: "title in English" },
  { flag: "description-vi", field: "description_vi", help: "description in Vietnamese" },
  { flag: "description-en", field: "description_en", help: "description in English" },
  { flag: "start", field: "start", help: 'start, e.g. "25/12/2026 08:00" (TZ_NAME) or ISO 8601' },
  { flag: "end", field: "end", help: "end, after the start" },
  { flag: "place", field: "place", help: "where it takes place" },
  { flag: "url", field: "online_url", help: "the online link (instead of or besides a place)" },
  { flag: "capacity", field: "capacity", help: "seats, 1..10000" },
  { flag: "deadline", field: "deadline", help: "registration deadline (default: the start)" },
  { flag: "audience", field: "audience", help: `who it is for: ${COURSE_AUDIENCES.join(",")} (comma-separated; default workers)` },
];

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function addCourseOptions(cmd: Command, required: ReadonlySet<string> = new Set()): Command {
  for (const f of COURSE_FLAGS) {
    const o = new Option(`--${f.flag} <value>`, f.help);
    if (required.has(f.flag)) o.makeOptionMandatory();
    cmd.addOption(o);
  }
  return cmd;
}

function courseFields(opts: Record<string, unknown>): CourseFields {
  const fields: CourseFields = {};
  for (const f of COURSE_FLAGS) {
    const v = opts[camel(f.flag)];
    if (typeof v === "string") fields[f.field] = v;
  }
  return fields;
}

/** A field problem in the chat's words: `start: I could not read the date in “Start”…`. */
export const problemLine = (rt: CliRuntime, p: FieldProblem, where = "") => `error: ${where}${p.field}: ${rt.t({ key: p.reason, params: { field: p.field } })}`;

/** Registers the `course` group. */
export const courseCommands: CliModule = (program, rt) => {
  const course = program.command("course").description("create, list, change, close and import courses");

  addCourseOptions(course.command("add").description("create a course"), new Set(["title-vi", "start", "end", "capacity"])).action((opts: Record<string, unknown>) =>
    rt.withContext(async (ctx) => {
      const result = await ctx.courses.create(courseFields(opts));
      if (!result.ok) {
        for (const p of result.problems) rt.io.err(problemLine(rt, p));
        return 1;
      }
      rt.io.out(`created course ${result.id}`);
      return 0;
    }),
  );

  course
    .command("list")
    .description("list courses with seats taken and waitlist length")
    .action(() =>
      rt.withContext(async (ctx) => {
        const list = await ctx.courses.list(200);
        if (list.length === 0) rt.io.out(rt.t("staff:course.list_empty"));
        for (const c of list) rt.io.out([c.id, c.status, formatLocal(c.startAt, ctx.timeZone), `${c.confirmed}/${c.capacity}`, `${c.waitlisted} waiting`, c.title.vi].join("\t"));
        return 0;
      }),
    );

  const applyEdit = (id: string, fields: CourseFields, confirmLower: boolean) =>
    rt.withContext(async (ctx) => {
      const result = await ctx.courses.edit(id, fields, { confirmLower });
      if (!result.ok) {
        const params = result.confirmLower ?? { field: "start" };
        rt.io.err(`error: ${rt.t({ key: result.reason, params })}${result.confirmLower ? " (--confirm-lower)" : ""}`);
        return 1;
      }
      rt.io.out(`updated course ${id}`);
      if (result.moved) rt.io.out("registrants will be told of the new start and end (one notice each) and their reminders moved, by the running bot");
      if (result.raised) rt.io.out(rt.t("staff:course.raised"));
      return 0;
    });

  addCourseOptions(course.command("edit").argument("<id>", "the course id (see course list)").description("change a course; a new --start moves the end with it (same duration) unless --end is given"))
    .option("--confirm-lower", "lower --capacity below the seats already held (nobody loses a seat)")
    .action((id: string, opts: Record<string, unknown>, cmd: Command) => {
      const fields = courseFields(opts);
      if (Object.keys(fields).length === 0) cmd.error("error: nothing to change: give at least one option", { exitCode: 2, code: "nscl.nothing_to_change" });
      return applyEdit(id, fields, opts.confirmLower === true);
    });

  course
    .command("reschedule")
    .argument("<id>", "the course id")
    .requiredOption("--start <when>", 'the new start, e.g. "25/12/2026 08:00"')
    .option("--end <when>", "the new end (default: the same duration as before)")
    .description("move a course: start and end together, one notice to each registrant, reminders moved")
    .action((id: string, opts: { start: string; end?: string }) => applyEdit(id, { start: opts.start, ...(opts.end ? { end: opts.end } : {}) }, false));

  course
    .command("link")
    .argument("<id>", "the course id")
    .option("--qr <file>", "also write the PNG QR code (of the deep link) to this file")
    .description("the course's sign-up link: a deep link, the code people type on any channel, a QR code for posters")
    .action((id: string, opts: { qr?: string }) =>
      rt.withContext(async (ctx) => {
        const link = await ctx.links.linkFor(id);
        if (!link) {
          rt.io.err(`error: ${rt.t("staff:course.errors.not_found")}`);
          return 1;
        }
        const title = rt.locale() === "en" ? (link.title.en ?? link.title.vi) : link.title.vi;
        rt.io.out(rt.t(link.url ? { key: "staff:link.text", params: { title, code: link.code, url: link.url } } : { key: "staff:link.text_no_deep_link", params: { title, code: link.code } }));
        if (opts.qr) {
          await ctx.writeFile(opts.qr, (await ctx.links.qrPng(link)).content);
          rt.io.out(`wrote ${opts.qr}`);
        }
        return 0;
      }),
    );

  course
    .command("reopen")
    .argument("<id>", "the course id")
    .description("open registration again for a closed course")
    .action((id: string) =>
      rt.withContext(async (ctx) => {
        const result = await ctx.courses.reopen(id);
        if (!result.ok) {
          rt.io.err(`error: ${rt.t(result.reason)}`);
          return 1;
        }
        rt.io.out(rt.t("staff:course.reopened"));
        return 0;
      }),
    );

  course
    .command("close")
    .argument("<id>", "the course id")
    .option("--cancel", "cancel the course and tell its registrants")
    .description("close registration (or cancel the course)")
    .action((id: string, opts: { cancel?: boolean }) =>
      rt.withContext(async (ctx) => {
        const result = opts.cancel ? await ctx.courses.cancel(id) : await ctx.courses.close(id);
        if (!result.ok) {
          rt.io.err(`error: ${rt.t(result.reason)}`);
          return 1;
        }
        rt.io.out(rt.t(opts.cancel ? "staff:course.cancelled" : "staff:course.closed"));
        return 0;
      }),
    );

  course
    .command("import")
    .argument("<file>", "a CSV file, ',' or ';' separated (what Excel saves), UTF-8")
    .description(`create courses from a CSV file (header: ${COURSE_FLAGS.map((f) => f.field).join(",")}); all or nothing`)
    .action((file: string) =>
      rt.withContext(async (ctx) => {
        let text: string;
        try {
          text = await ctx.readFile(file);
        } catch {
          rt.io.err(`error: cannot read ${file}`);
          return 1;
        }
        const result = await ctx.courses.importCsv(text);
        if (result.delimiter) rt.io.out(rt.t({ key: "staff:import.delimiter", params: { delimiter: result.delimiter } }));
        if (!result.ok) {
          for (const e of result.errors) for (const p of e.problems) rt.io.err(problemLine(rt, p, `line ${e.line}: `));
          rt.io.err(rt.t("staff:import.nothing_imported"));
          return 1;
        }
        rt.io.out(`imported ${result.ids.length} course(s): ${result.ids.join(", ")}`);
        return 0;
      }),
    );
};
