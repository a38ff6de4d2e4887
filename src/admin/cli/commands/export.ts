/** `export registrations|enterprises`: spreadsheets staff open in Excel (XLSX, or CSV on request). */
import { Option, type Command } from "commander";
import { EXPORT_FORMATS, type ExportFormat } from "../../export/index.js";
import type { CliModule } from "../types.js";

interface ExportOpts {
  out: string;
  format?: ExportFormat;
}

/** The options both exports share, defined once. */
function addFileOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--out <file>", "where to write (a name ending in .csv gives CSV)")
    .addOption(new Option("--format <format>", "file format (default: from --out, else xlsx)").choices(EXPORT_FORMATS));
}

/** The format asked for, else the one --out names, else XLSX. */
const formatOf = (o: ExportOpts): ExportFormat => o.format ?? (/\.csv$/i.test(o.out) ? "csv" : "xlsx");

/** Registers the `export` group. */
export const exportCommands: CliModule = (program, rt) => {
  const group = program.command("export").description("write registrations or enterprises to a spreadsheet (headers in --lang, local times, labels)");

  addFileOptions(group.command("registrations").description("a course's registrations").requiredOption("--course <id>", "the course id (see course list)")).action((o: ExportOpts & { course: string }) =>
    rt.withContext(async (ctx) => {
      const doc = await ctx.courses.exportRegistrations(o.course, { locale: rt.locale(), format: formatOf(o) });
      if (!doc) {
        rt.io.err(`error: ${rt.t("staff:course.errors.not_found")}`);
        return 1;
      }
      await ctx.writeFile(o.out, doc.content);
      rt.io.out(`wrote ${o.out}`);
      return 0;
    }),
  );

  addFileOptions(group.command("enterprises").description("the enterprises, one line per contact person")).action((o: ExportOpts) =>
    rt.withContext(async (ctx) => {
      await ctx.writeFile(o.out, (await ctx.courses.exportEnterprises({ locale: rt.locale(), format: formatOf(o) })).content);
      rt.io.out(`wrote ${o.out}`);
      return 0;
    }),
  );
};
