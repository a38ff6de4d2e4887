/**
 * The admin CLI (`npm run admin -- …`) on commander: one definition per command gives its
 * parsing, its required options, its allowed choices and its help. Exit codes: 0 ok, 1 the
 * command failed, 2 bad arguments (no database is opened for those or for `--help`).
 */
import { Command, CommanderError, Option } from "commander";
import { LOCALES, type I18nKey, type Locale, type Msg } from "../../engine/messages.js";
import type { Renderer } from "../../i18n/renderer.js";
import { broadcastCommands } from "./commands/broadcast.js";
import { courseCommands } from "./commands/course.js";
import { exportCommands } from "./commands/export.js";
import { phrasesCommands } from "./commands/phrases.js";
import { privacyCommands } from "./commands/privacy.js";
import { staffCommands } from "./commands/staff.js";
import { ticketsCommands } from "./commands/tickets.js";
import type { CliIo, CliModule, CliRuntime, OpenContext } from "./types.js";

/** Every command group, in the order `--help` lists them. Register a new group here. */
export const CLI_MODULES: readonly CliModule[] = [courseCommands, exportCommands, broadcastCommands, staffCommands, privacyCommands, ticketsCommands, phrasesCommands];

/** How the CLI is run. */
export interface RunCliOptions {
  io: CliIo;
  open: OpenContext;
  renderer: Renderer;
  /** Language when `--lang` is not given. */
  defaultLocale?: Locale;
  modules?: readonly CliModule[];
}

/** Builds the commander program; `exit` receives a command's exit code. */
export function buildProgram(options: RunCliOptions, exit: (code: number) => void): Command {
  const { io, renderer } = options;
  const program = new Command("npm run admin --");
  program
    .description("NSCL bot administration: courses, exports, broadcasts, staff, privacy requests, tickets, phrases (same database as the bot)")
    .addOption(new Option("--lang <lang>", "language of messages").choices(LOCALES).default(options.defaultLocale ?? "vi"))
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) })
    .exitOverride();
  const locale = (): Locale => program.opts<{ lang: Locale }>().lang;
  const rt: CliRuntime = {
    io,
    locale,
    t: (msg: Msg | I18nKey) => renderer.render(typeof msg === "string" ? { key: msg } : msg, locale()),
    async withContext(fn) {
      const ctx = await options.open();
      try {
        exit(await fn(ctx));
      } finally {
        await ctx.close();
      }
    },
  };
  for (const register of options.modules ?? CLI_MODULES) register(program, rt);
  // Groups and subcommands inherit the output, the error exit and the help-after-error hint.
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput(program.configureOutput()).showHelpAfterError("(add --help for usage)");
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI on `argv` (without `node script`); returns the exit code. */
export async function runCli(argv: readonly string[], options: RunCliOptions): Promise<number> {
  let code = 0;
  const program = buildProgram(options, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help asked for is success; help shown because nothing was asked, or any parse error, is a usage error.
    return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
  }
}
