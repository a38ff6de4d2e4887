/** `export registrations|enterprises`: spreadsheets staff open in Excel. */
import type { CliModule } from "../types.js";

/** Registers the `export` group. */
export const exportCommands: CliModule = (program, rt) => {
  const group = program.command("export").description("write registrations or enterprises to a file");

  group
    .command("registrations")
    .description("write a course's registrations as CSV (UTF-8 with BOM, opens in Excel)")
    .requiredOption("--course <id>", "the course id (see course list)")
    .requiredOption("--out <file>", "where to write")
    .action((opts: { course: string; out: string }) =>
      rt.withContext(async (ctx) => {
        const doc = await ctx.courses.exportRegistrations(opts.course);
        if (!doc) {
          rt.io.err(`error: ${rt.t("staff:course.errors.not_found")}`);
          return 1;
        }
        await ctx.writeFile(opts.out, doc.content);
        rt.io.out(`wrote ${opts.out}`);
        return 0;
      }),
    );

  group
    .command("enterprises")
    .description("write the enterprises and their contact persons as CSV (UTF-8 with BOM)")
    .requiredOption("--out <file>", "where to write")
    .action((opts: { out: string }) =>
      rt.withContext(async (ctx) => {
        await ctx.writeFile(opts.out, (await ctx.courses.exportEnterprises()).content);
        rt.io.out(`wrote ${opts.out}`);
        return 0;
      }),
    );
};
