/**
 * `tickets list|close N|reply N <text…>`: the questions handed over to staff. The CLI has no
 * channel, so an answer is queued through the ticket service (notice job) and the running bot
 * delivers it; the ticket is marked answered exactly as in the chat's /reply.
 */
import { InvalidArgumentError, type Command } from "commander";
import { ticketLine } from "../../../actions/handoff.js";
import { defaultActor } from "../../privacy-requests.js";
import type { CliModule } from "../types.js";

/** Registers the `tickets` group. */
export const ticketsCommands: CliModule = (program, rt) => {
  const number = (raw: string) => {
    const n = Number(raw.replace(/^#/, ""));
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(rt.t("staff:cli.tickets.bad_number"));
    return n;
  };
  const group = program.command("tickets").description("questions handed over to staff");
  group
    .command("list")
    .description("tickets not closed, oldest first")
    .action(() =>
      rt.withContext(async (ctx) => {
        const open = await ctx.tickets.list();
        if (open.length === 0) rt.io.out(rt.t("handoff:staff.none"));
        for (const t of open) rt.io.out(rt.t(ticketLine(t)));
        return 0;
      }),
    );
  group
    .command("close")
    .argument("<n>", "the ticket number", number)
    .description("close a ticket")
    .action((n: number) =>
      rt.withContext(async (ctx) => {
        if (await ctx.tickets.close(n)) return (rt.io.out(rt.t({ key: "staff:cli.tickets.closed", params: { number: n } })), 0);
        rt.io.err(`error: ${rt.t({ key: "staff:cli.tickets.not_closed", params: { number: n } })}`);
        return 1;
      }),
    );
  group
    .command("reply")
    .argument("<n>", "the ticket number", number)
    .argument("<text...>", "the answer (the words are joined with spaces)")
    .option("--by <name>", "who answers (recorded on the ticket; default: the OS user)")
    .description("answer a ticket: the running bot sends it to the person, in their chat")
    .action(function (this: Command, n: number, words: string[], o: { by?: string }) {
      const text = words.join(" ").trim();
      if (text === "") this.error(`error: ${rt.t("staff:cli.tickets.empty_answer")}`, { exitCode: 2, code: "nscl.empty" });
      return rt.withContext(async (ctx) => {
        const result = await ctx.tickets.answer(n, text, o.by?.trim() ? o.by.trim() : defaultActor());
        if (result.ok) return (rt.io.out(rt.t({ key: "staff:cli.tickets.queued", params: { number: n } })), 0);
        rt.io.err(`error: ${rt.t({ key: `handoff:staff.${result.reason}`, params: { number: n } })}`);
        return 1;
      });
    });
};
