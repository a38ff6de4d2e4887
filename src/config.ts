import { DEFAULT_RETENTION } from "./domain/retention.js";
import { z } from "zod";
import { LOCALES } from "./engine/messages.js";
import { channelConfigShape, channelDefinitions, channelRequiredTogether, channelSettingsProblems, mergedConfigShape, staffIdExample, staffIdPattern } from "./channels/registry.js";
import type { ChannelDefinition, SettingsProblem } from "./channels/shared/definition.js";
import { optionalString, optionalUrl } from "./shared/config-fields.js";

/** A comma-separated list of staff ids `<channel>:<id>`, each naming one of these channels. */
function staffIdList(definitions: readonly ChannelDefinition[]) {
  const staffId = staffIdPattern(definitions);
  const message = `each entry must be channel:id, e.g. ${staffIdExample(definitions)}`;
  return z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(staffId, { message })));
}

/** The app's own settings (the channels' come from their definitions). */
const appConfigShape = (definitions: readonly ChannelDefinition[]) => ({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    MONGODB_URI: optionalString.pipe(
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\//, { message: "must start with mongodb:// or mongodb+srv://, e.g. mongodb://127.0.0.1:27017/nscl_bot" })
        .optional(),
    ),
    /** Public base address of this bot's HTTP server: files for channels without uploads are offered as single-use links under it. */
    PUBLIC_URL: optionalUrl("https://bot.example.gov.vn"),
    PORT: z.coerce.number({ message: "must be a port number, e.g. 8080" }).int().min(0).max(65535).default(8080),
    HOST: z.string().default("0.0.0.0"),
    /** Staff console sign-in attempts (using a `/web` link) per IP address per minute. */
    CONSOLE_SIGNIN_PER_MINUTE: z.coerce.number({ message: "must be a whole number, e.g. 10" }).int().positive().default(10),
    STAFF_IDS: staffIdList(definitions),
    /** Staff who receive questions handed over to a person (default: every staff member). */
    HANDOFF_STAFF_IDS: staffIdList(definitions),
    DEFAULT_LOCALE: z.enum(LOCALES, { message: "must be vi or en" }).default("vi"),
    TZ_NAME: z
      .string()
      .default("Asia/Ho_Chi_Minh")
      .refine(isTimeZone, { message: "must be an IANA time zone, e.g. Asia/Ho_Chi_Minh" }),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { message: "must be one of fatal, error, warn, info, debug, trace, silent" }).default("info"),
    LOG_FILE: optionalString,
    INBOX_LEASE_SECONDS: z.coerce.number({ message: "must be a number of seconds, e.g. 120" }).positive().default(120),
    FORM_IDLE_HOURS: z.coerce.number({ message: "must be a number of hours, e.g. 24" }).positive().default(24),
    REMINDER_OFFSETS_HOURS: z
      .string()
      .default("24,2")
      .transform((v) => v.split(",").map((s) => Number(s.trim())))
      .pipe(z.array(z.number().positive({ message: "must be positive hours, e.g. 24,2" })).min(1)),
    /** Personal-data retention (Law 91/2025/QH15): enforced by the maintenance job, stated in the consent notices. */
    RETENTION_COURSE_MONTHS: z.coerce.number({ message: "must be a whole number of months, e.g. 12" }).int().positive().default(DEFAULT_RETENTION.courseMonths),
    RETENTION_ENTERPRISE_MONTHS: z.coerce.number({ message: "must be a whole number of months, e.g. 36" }).int().positive().default(DEFAULT_RETENTION.enterpriseMonths),
    RETENTION_REQUEST_DAYS: z.coerce.number({ message: "must be a whole number of days, e.g. 30" }).int().positive().default(DEFAULT_RETENTION.requestDays),
    /** The most one database operation may take (ms); a stalled database then gets "temporarily unavailable". */
    DB_TIMEOUT_MS: z.coerce.number({ message: "must be milliseconds, e.g. 5000" }).int().min(100).max(120_000).default(5_000),
    /** The most one platform call (a send) may take (ms); its outcome is then unknown and it is not retried. */
    SEND_TIMEOUT_MS: z.coerce.number({ message: "must be milliseconds, e.g. 10000" }).int().min(100).max(120_000).default(10_000),
    /** How long a conversation reply may wait for the send budget or a 429 retry_after (s) before it is given up. */
    REPLY_MAX_WAIT_S: z.coerce.number({ message: "must be seconds, e.g. 60" }).min(0).max(600).default(60),
    CONTACT_OFFICE: optionalString,
    CONTACT_PHONE: optionalString,
    CONTACT_EMAIL: optionalString,
    CONTACT_WEBSITE: optionalString,
    /** Where `npm start` keeps the local database it starts when MONGODB_URI is unset. */
    DATA_DIR: z.string().default(".data"),
});

/** Every setting the bot reads, from the environment (and an optional `.env`); each channel's own from its definition. */
export const configSchema = z.object({ ...appConfigShape(channelDefinitions), ...channelConfigShape });

/** The parsed configuration. */
export type Config = z.infer<typeof configSchema>;

/** One problem with one variable, ready to print. */
export type ConfigProblem = SettingsProblem;

/** Parses the environment; problems are values so `main` can print them all at once. */
export function parseConfig(
  env: Record<string, string | undefined>,
  /** The channels (default: the registry); a test may add its own. */
  definitions: readonly ChannelDefinition[] = channelDefinitions,
): { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] } {
  const present = (name: string) => (env[name] ?? "").trim() !== "";
  const problems: ConfigProblem[] = channelRequiredTogether(definitions)
    .filter(({ when, needs }) => present(when) && !present(needs))
    .map(({ when, needs, hint }) => ({ variable: needs, message: `is required when ${when} is set${hint ?? ""}` }));
  // Each channel's own rules (e.g. a secret it needs in production).
  problems.push(...channelSettingsProblems(env, env.NODE_ENV === "production", definitions));
  // Other channels than the registry's: their settings are parsed too and kept beside the typed ones.
  const schema: z.ZodType<Config> = definitions === channelDefinitions ? configSchema : z.object({ ...appConfigShape(definitions), ...mergedConfigShape(definitions) }).pipe(z.custom<Config>());
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? "config");
      problems.push({ variable, message: present(variable) || issue.code !== "invalid_type" ? issue.message : "is required" });
    }
  }
  return parsed.success && problems.length === 0 ? { ok: true, config: parsed.data } : { ok: false, problems };
}

/** The problems as lines a person can act on (no values echoed: they may be secrets). */
export function formatConfigProblems(problems: ConfigProblem[]): string {
  return ["Configuration problems (see .env.example):", ...problems.map((p) => `  - ${p.variable} ${p.message}`)].join("\n");
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
