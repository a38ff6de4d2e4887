/** `broadcast preview|send|list|cancel|resend`: announcements from the command line. */
import { Option, type Command } from "commander";
import { LOCALES } from "../../../engine/messages.js";
import { SECTOR_IDS } from "../../../domain/sectors.js";
import { audienceSchema, type Audience } from "../../../jobs/audience.js";
import { parseWhen } from "../../when.js";
import { formatLocal } from "../format.js";
import type { CliModule } from "../types.js";

interface BroadcastOpts {
  vi: string;
  en?: string;
  audience: "all" | "enterprises" | "course" | "language";
  sector?: string;
  course?: string;
  locale?: string;
  at?: string;
}

/** The options preview and send share, defined once. */
function addBroadcastOptions(cmd: Command): Command {
  return cmd
    .requiredOption("--vi <text>", "the text in Vietnamese")
    .option("--en <text>", "the text in English (English readers get Vietnamese otherwise)")
    .addOption(new Option("--audience <kind>", "who gets it").choices(["all", "enterprises", "course", "language"]).default("all"))
    .addOption(new Option("--sector <id>", "with --audience enterprises: only this sector").choices(SECTOR_IDS))
    .option("--course <id>", "with --audience course: its registrants")
    .addOption(new Option("--locale <lang>", "with --audience language").choices(LOCALES))
    .option("--at <when>", 'send later, e.g. "25/12/2026 08:00" (default: now)');
}

/** The audience the options describe, or a usage error (commander exits 2). */
function audienceOf(o: BroadcastOpts, cmd: Command): Audience {
  if (o.audience === "course" && !o.course) cmd.error("error: --audience course needs --course <id>", { exitCode: 2, code: "nscl.audience" });
  if (o.audience === "language" && !o.locale) cmd.error("error: --audience language needs --locale vi|en", { exitCode: 2, code: "nscl.audience" });
  const candidate =
    o.audience === "enterprises" ? { kind: o.audience, ...(o.sector ? { sector: o.sector } : {}) }
    : o.audience === "course" ? { kind: o.audience, courseId: o.course }
    : o.audience === "language" ? { kind: o.audience, locale: o.locale }
    : { kind: o.audience };
  const parsed = audienceSchema.safeParse(candidate);
  if (!parsed.success) cmd.error("error: the audience is not valid", { exitCode: 2, code: "nscl.audience" });
  return parsed.data!;
}

/** Registers the `broadcast` group. */
export const broadcastCommands: CliModule = (program, rt) => {
  const group = program.command("broadcast").description("announcements: preview, send, list, cancel, resend");

  addBroadcastOptions(group.command("preview").description("show how many contacts a broadcast would reach now (sends nothing)")).action((o: BroadcastOpts, cmd: Command) => {
    const audience = audienceOf(o, cmd);
    return rt.withContext(async (ctx) => {
      rt.io.out(`recipients now: ${await ctx.broadcasts.count(audience)}`);
      return 0;
    });
  });

  addBroadcastOptions(group.command("send").description("create a broadcast; the running bot delivers it now or at --at")).action((o: BroadcastOpts, cmd: Command) => {
    const audience = audienceOf(o, cmd);
    return rt.withContext(async (ctx) => {
      let sendAt: Date | undefined;
      if (o.at !== undefined) {
        sendAt = parseWhen(o.at, ctx.timeZone) ?? undefined;
        if (!sendAt) {
          rt.io.err(`error: --at: ${rt.t("staff:broadcast.errors.time")}`);
          return 2;
        }
      }
      const created = await ctx.broadcasts.create({ text: { vi: o.vi, ...(o.en ? { en: o.en } : {}) }, audience, ...(sendAt ? { sendAt } : {}), createdBy: "cli" });
      if (!created.ok) {
        rt.io.err(`error: ${rt.t(created.reason)}`);
        return 1;
      }
      const count = await ctx.broadcasts.count(audience);
      rt.io.out(`broadcast ${created.broadcast._id} to ${count} recipient(s) at ${formatLocal(created.broadcast.sendAt, ctx.timeZone)} (delivered by the running bot; see: broadcast list)`);
      return 0;
    });
  });

  group
    .command("list")
    .description("recent broadcasts with their counts")
    .action(() =>
      rt.withContext(async (ctx) => {
        const list = await ctx.broadcasts.recent(20);
        if (list.length === 0) rt.io.out(rt.t("staff:broadcast.list_empty"));
        for (const b of list) {
          const c = b.counts;
          rt.io.out([b._id, b.status, formatLocal(new Date(b.sendAt), ctx.timeZone), `recipients=${b.recipients ?? "-"}`, c ? `delivered=${c.delivered} failed=${c.failed} unreachable=${c.unreachable} in_doubt=${c.inDoubt}` : ""].join("\t"));
        }
        return 0;
      }),
    );

  group
    .command("cancel")
    .argument("<id>", "the broadcast id")
    .description("cancel a scheduled broadcast that has not started")
    .action((id: string) =>
      rt.withContext(async (ctx) => {
        if (!(await ctx.broadcasts.cancel(id))) {
          rt.io.err(`error: ${rt.t({ key: "staff:broadcast.errors.not_cancellable", params: { id } })}`);
          return 1;
        }
        rt.io.out(rt.t({ key: "staff:broadcast.cancelled", params: { id } }));
        return 0;
      }),
    );

  group
    .command("resend")
    .argument("<id>", "the broadcast id")
    .description("send a finished broadcast again to its in-doubt and failed recipients")
    .action((id: string) =>
      rt.withContext(async (ctx) => {
        const result = await ctx.broadcasts.resend(id, "cli");
        if (!result.ok) {
          rt.io.err(`error: ${rt.t({ key: result.reason, params: { id } })}`);
          return 1;
        }
        rt.io.out(`resending as broadcast ${result.broadcast._id}`);
        return 0;
      }),
    );
};
