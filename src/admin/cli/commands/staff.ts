/** `staff add|remove|list`: who has staff rights. */
import { staffIdExample } from "../../../channels/registry.js";
import { InvalidArgumentError } from "commander";
import { staffKeySchema, type StaffChange } from "../../staff-access.js";
import type { CliModule, CliRuntime } from "../types.js";

/** Prints a staff change in the chat's words; exit 0 for an `ok` outcome, 2 for a malformed key, else 1. */
async function report(rt: CliRuntime, key: string, change: Promise<StaffChange>, ok: readonly StaffChange[]): Promise<number> {
  const r = await change;
  const line = rt.t({ key: `staff:staff.result.${r}`, params: { id: key } });
  if (ok.includes(r)) rt.io.out(line);
  else rt.io.err(`error: ${line}`);
  return r === "invalid" ? 2 : ok.includes(r) ? 0 : 1;
}

/** Registers the `staff` group. */
export const staffCommands: CliModule = (program, rt) => {
  // A malformed key is a usage error found before the database is opened.
  const key = (raw: string) => {
    if (!staffKeySchema.safeParse(raw).success) throw new InvalidArgumentError(rt.t({ key: "staff:staff.result.invalid", params: { id: raw } }));
    return raw.trim();
  };
  const group = program.command("staff").description("who has staff rights");
  group
    .command("add")
    .argument("<channel:id>", `e.g. ${staffIdExample().replace(",", " or ")}`, key)
    .description("give staff rights")
    .action((key: string) => rt.withContext((ctx) => report(rt, key, ctx.access.add(key, "cli"), ["added", "already", "configured"])));
  group
    .command("remove")
    .argument("<channel:id>", `e.g. ${staffIdExample().split(",")[0]}`, key)
    .description("take staff rights away (not from STAFF_IDS)")
    .action((key: string) => rt.withContext((ctx) => report(rt, key, ctx.access.remove(key, "cli"), ["removed"])));
  group
    .command("list")
    .description("who is staff")
    .action(() =>
      rt.withContext(async (ctx) => {
        const l = await ctx.access.list();
        for (const k of l.configured) rt.io.out(`${k}\t(STAFF_IDS)`);
        for (const k of l.stored) rt.io.out(`${k}\t(added)`);
        return 0;
      }),
    );
};
