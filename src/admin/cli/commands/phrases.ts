/** `phrases unrecognised [--days N]`: what the bot did not understand (scrubbed when stored), most frequent first. */
import { InvalidArgumentError } from "commander";
import { createPhrasesRepo } from "../../../db/phrases-repo.js";
import type { CliModule } from "../types.js";

const DAY_MS = 86_400_000;

/** Registers the `phrases` group. */
export const phrasesCommands: CliModule = (program, rt) => {
  const days = (raw: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(rt.t("staff:cli.phrases.bad_days"));
    return n;
  };
  const group = program.command("phrases").description("what people typed that the bot did not understand");
  group
    .command("unrecognised")
    .description("unrecognised phrases with counts, most frequent first (personal data already replaced)")
    .option("--days <n>", "only phrases seen in the last n days", days, 30)
    .action((o: { days: number }) =>
      rt.withContext(async (ctx) => {
        const rows = await createPhrasesRepo(ctx.db).recent(new Date(Date.now() - o.days * DAY_MS));
        if (rows.length === 0) rt.io.out(rt.t({ key: "staff:cli.phrases.none", params: { days: o.days } }));
        for (const r of rows) rt.io.out(`${String(r.count).padStart(5)}  ${r.text}`);
        return 0;
      }),
    );
};
