/**
 * `privacy show|export|erase <channel:id>`, `privacy requests`, `privacy approve|decline <id>`:
 * requests by phone or letter. Every command except `requests` is audited (privacy_audit: who,
 * when, what); the logic is in `privacy-requests.ts`.
 */
import { staffIdExample } from "../../../channels/registry.js";
import { InvalidArgumentError, type Command } from "commander";
import { defaultActor, isSubject } from "../../privacy-requests.js";
import type { CliModule } from "../types.js";

interface ByOpts {
  by?: string;
}

/** Who is recorded in the audit: `--by`, else the OS user. */
const actor = (o: ByOpts): string => (o.by?.trim() ? o.by.trim() : defaultActor());

/** The `--by` option every audited command shares, defined once. */
const withBy = (cmd: Command): Command => cmd.option("--by <name>", "who answers the request (recorded in the audit; default: the OS user)");

/** Registers the `privacy` group. */
export const privacyCommands: CliModule = (program, rt) => {
  // A malformed account is a usage error found before the database is opened.
  const subject = (raw: string) => {
    if (!isSubject(raw)) throw new InvalidArgumentError(rt.t({ key: "staff:cli.privacy.bad_subject", params: { id: raw } }));
    return raw;
  };
  const group = program.command("privacy").description("requests by phone or letter: an account's data, representation requests (audited in privacy_audit)");

  withBy(group.command("show").description("what the bot stores about an account, as the person would see it (in --lang)"))
    .argument("<channel:id>", `e.g. ${staffIdExample().replace(",", " or ")}`, subject)
    .action((key: string, o: ByOpts) =>
      rt.withContext(async (ctx) => {
        for (const line of await ctx.privacy.show(key, actor(o), rt.locale())) rt.io.out(`${line}\n`);
        return 0;
      }),
    );

  withBy(group.command("export").description("every stored document about an account, as JSON"))
    .argument("<channel:id>", `e.g. ${staffIdExample().split(",")[0]}`, subject)
    .option("--out <file>", "write to this file instead of the output")
    .action((key: string, o: ByOpts & { out?: string }) =>
      rt.withContext(async (ctx) => {
        const json = await ctx.privacy.export(key, actor(o));
        if (o.out === undefined) rt.io.out(json);
        else {
          await ctx.writeFile(o.out, Buffer.from(json, "utf8"));
          rt.io.out(`wrote ${o.out}`);
        }
        return 0;
      }),
    );

  withBy(group.command("erase").description("erase an account's personal data (as “delete my data” does)"))
    .argument("<channel:id>", `e.g. ${staffIdExample().split(",")[0]}`, subject)
    .option("--yes", "confirm: erasing cannot be undone")
    .action(function (this: Command, key: string, o: ByOpts & { yes?: boolean }) {
      // Checked here, not by requiredOption, so the refusal says why in the CLI's language.
      if (o.yes !== true) this.error(`error: ${rt.t("staff:cli.privacy.confirm_erase")}`, { exitCode: 2, code: "nscl.confirm" });
      return rt.withContext(async (ctx) => {
        const counts = await ctx.privacy.erase(key, actor(o));
        rt.io.out(rt.t({ key: "staff:cli.privacy.erased", params: { id: key, ...counts } }));
        return 0;
      });
    });

  group
    .command("requests")
    .description("pending representation requests (id, code, requester, date)")
    .action(() =>
      rt.withContext(async (ctx) => {
        const lines = await ctx.privacy.requests();
        rt.io.out(lines.length > 0 ? lines.join("\n") : rt.t("enterprise:requests.none"));
        return 0;
      }),
    );

  for (const decision of ["approve", "decline"] as const) {
    withBy(group.command(decision).description(`${decision} a representation request as staff (the people involved are told by the running bot)`))
      .argument("<request-id>", "from privacy requests")
      .action((id: string, o: ByOpts) =>
        rt.withContext(async (ctx) => {
          const outcome = await ctx.privacy.decide(id, decision, actor(o));
          const done = outcome === "approved" || outcome === "declined";
          const line = `${id}: ${rt.t(`enterprise:requests.result.${outcome}`)}`;
          if (done) rt.io.out(line);
          else rt.io.err(`error: ${line}`);
          return done ? 0 : 1;
        }),
      );
  }
};
