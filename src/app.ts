/**
 * The composition root: builds every part from the configuration and an open database, and
 * starts and stops them in order. Nothing else wires concrete implementations together.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { Config } from "./config.js";
import { createCourseCodeActions } from "./actions/course-code.js";
import { createRegistrationActions } from "./actions/courses.js";
import { createEnterpriseActions } from "./actions/enterprise.js";
import { createPolicyActions } from "./actions/policies.js";
import { createSendBudgets, createStaffModule } from "./admin/staff-module.js";
import { createPrivacyActions } from "./actions/privacy.js";
import { createHandoffActions } from "./actions/handoff.js";
import { createTicketService } from "./actions/tickets-service.js";
import { createTicketsRepo } from "./db/tickets-repo.js";
import { createPhrasesRepo } from "./db/phrases-repo.js";
import { createRegistrationService } from "./actions/registration-service.js";
import type { Channel } from "./channels/shared/channel.js";
import { createNotifier } from "./channels/notifier.js";

import { createTerminalChannel } from "./channels/terminal/terminal-channel.js";
import { createClaimsRepo } from "./db/claims-repo.js";
import { createInboxRepo } from "./db/inbox-repo.js";
import { pruneExpired } from "./db/retention.js";
import type { UpdateInbox } from "./channels/shared/update-admission.js";
import { startInboxRecovery } from "./jobs/inbox-recovery.js";
import { createContactsRepo } from "./db/contacts-repo.js";
import { createFileLinksRepo } from "./db/file-links-repo.js";
import { withFileDelivery } from "./channels/shared/file-delivery.js";
import { withCourseCodes } from "./channels/shared/course-code-entry.js";
import type { Database } from "./db/database.js";
import { migrateData } from "./db/migrations.js";
import { createMongoSessionStore, pruneSessionRevisions, PRUNE_AGE_MS } from "./db/session-store.js";
import { contactMessages } from "./domain/faq/contact-messages.js";
import { CONTACT_SECTION_ID, policiesResourceSchema, sectionMessages } from "./domain/faq/policy-faq.js";
import { createUnderstanding } from "./domain/understand/matcher.js";
import { loadIntentsFile } from "./runtime/load-intents.js";
import { startMaintenance } from "./jobs/maintenance.js";
import { createNoticeJob } from "./jobs/notice-job.js";
import { createPersonalDataRetention } from "./jobs/personal-data-retention.js";
import { createSendShares } from "./jobs/send-shares.js";
import { validators } from "./domain/validators/index.js";
import type { ActionRegistry } from "./engine/actions.js";
import { loadFlowSet } from "./runtime/load-flows.js";
import type { Bot, ChannelName, I18nKey, Locale, Notifier, Sender, UserRef } from "./engine/messages.js";
import { createRunner } from "./runtime/runner.js";
import { loadLocales } from "./i18n/load-locales.js";
import { createRendererFromResources, type Renderer } from "./i18n/renderer.js";
import type { Logger } from "./log.js";
import type { HttpServer, Readiness } from "./server/http-server.js";
import { createMetrics, type Metrics } from "./server/metrics.js";

const root = resolve(import.meta.dirname, "..");
/** How long a file link for Zalo works (it also works only once). */
const FILE_LINK_TTL_MS = 15 * 60_000;

/** What `createApp` needs; `terminal` streams turn the terminal chat on. */
export interface AppOptions {
  config: Config;
  db: Database;
  logger: Logger;
  terminal?: { input: Readable; output: Writable } | undefined;
  /** Start the HTTP server even without a channel in webhook mode (default: when any platform channel runs or TERMINAL=off). */
  http?: boolean;
  /** The clock (tests and benchmarks may pass their own). */
  now?: () => Date;
}

/** A built app: start it, stop it, ask whether it is ready. */
export interface App {
  readonly bot: Bot;
  readonly renderer: Renderer;
  readonly metrics: Metrics;
  readonly notifier: Notifier;
  readonly channels: ReadonlyMap<ChannelName, Channel>;
  /** Resolves when the terminal chat's input ended and its last reply was printed. */
  readonly terminalDone?: Promise<void>;
  /** The bound HTTP port once started (when the server runs). */
  readonly httpPort?: number;
  start(): Promise<void>;
  /** Stops receiving, finishes updates in flight (bounded), stops jobs. Does not close the database. */
  stop(): Promise<void>;
  ready(): Promise<Readiness>;
}

/** Writes a file the bot sent in the terminal chat under `dir` (name stripped of any path) and returns its path. */
function saveExport(dir: string, filename: string, content: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(filename));
  writeFileSync(path, content);
  return path;
}

/** The terminal chat runs when asked for, or automatically when no platform token is set. */
export function terminalWanted(config: Config): boolean {
  if (config.TERMINAL === "on") return true;
  if (config.TERMINAL === "off") return false;
  return !config.TELEGRAM_BOT_TOKEN && !config.ZALO_BOT_TOKEN;
}

/** Builds the whole bot. Throws `FlowLoadError` when a flow or locale is broken. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, db, logger } = options;
  const now = options.now ?? (() => new Date());
  const timeZone = config.TZ_NAME;
  const defaultLocale = config.DEFAULT_LOCALE as Locale;
  const resources = loadLocales(resolve(root, "locales"));
  const renderer = createRendererFromResources(resources, timeZone);
  const metrics = createMetrics({ processMetrics: true });
  const contacts = createContactsRepo(db);
  const contact = { office: config.CONTACT_OFFICE, phone: config.CONTACT_PHONE, email: config.CONTACT_EMAIL, website: config.CONTACT_WEBSITE };

  const senders = new Map<ChannelName, Sender>();
  const notifier = createNotifier({
    senders,
    render: (m, l) => renderer.render(m, l),
    localeOf: (key) => contacts.localeOf(key),
    markUnreachable: (key, code) => contacts.markUnreachable(key, code),
    defaultLocale,
  });

  // One send budget per bot account: replies (first), broadcasts, reminders and notices share it.
  const ratePerSec = { telegram: config.TELEGRAM_RATE_PER_SEC, zalo: config.ZALO_RATE_PER_SEC };
  const budgets = createSendBudgets(ratePerSec);
  // With several processes on one database, each uses its share of the bot's rate.
  const shares = createSendShares({
    db,
    budgets: [
      { limiter: budgets.get("telegram")!, rate: ratePerSec.telegram },
      { limiter: budgets.get("zalo")!, rate: ratePerSec.zalo },
    ],
    logger,
  });
  const replyRetry = { maxWaitMs: config.REPLY_MAX_WAIT_S * 1000 };
  // Staff, course administration, reminders and broadcasts (agenda); senders are read at send time.
  const staff = createStaffModule({
    render: (m, l) => renderer.render(m, l),
    // Known from configuration, else from Telegram's getMe at start.
    telegramUsername: () => config.TELEGRAM_BOT_USERNAME ?? (channels.get("telegram") as { telegraf?: { botInfo?: { username?: string } } } | undefined)?.telegraf?.botInfo?.username,
    limiters: budgets,
    db,
    staffIds: config.STAFF_IDS,
    senders,
    notifier,
    logger,
    timeZone,
    reminderOffsetsHours: config.REMINDER_OFFSETS_HOURS,
    ratePerSec,
  });
  const isStaff = (user: UserRef) => staff.isStaff(user);

  // Questions handed over to a person: the duty list if configured, else every staff member.
  const tickets = createTicketService({
    repo: createTicketsRepo(db),
    notifier,
    recipients: async () => {
      if (config.HANDOFF_STAFF_IDS.length > 0) return [...config.HANDOFF_STAFF_IDS];
      const { configured, stored } = await staff.access.list();
      return [...new Set([...configured, ...stored])];
    },
    now,
  });

  const sessions = createMongoSessionStore(db, { clock: now, logger });
  const retention = { courseMonths: config.RETENTION_COURSE_MONTHS, enterpriseMonths: config.RETENTION_ENTERPRISE_MONTHS, requestDays: config.RETENTION_REQUEST_DAYS };
  const registration = { db, notifier, log: logger, hooks: staff.reminderHooks };
  const actions: ActionRegistry = {
    ...createPolicyActions({ contact }),
    ...createEnterpriseActions({ db, notifier, log: logger, retention }),
    ...createRegistrationActions({ ...registration, retention }),
    ...createCourseCodeActions({ db }),
    ...createPrivacyActions({ ...registration, sessions, label: (m, l) => renderer.render(m, l) }),
    ...staff.actions,
    ...createHandoffActions(tickets),
  };
  const flows = loadFlowSet(resolve(root, "flows"), {
    validatorNames: Object.keys(validators),
    actionNames: Object.keys(actions),
    hasKey: (key, locale) => renderer.hasKey(key, locale),
  });

  // What people type: the intents' index is built once, here, and the engine only queries it.
  const policies = policiesResourceSchema.parse(resources.vi.policies);
  const intentsFile = loadIntentsFile(resolve(root, "flows"));
  const understanding = intentsFile
    ? createUnderstanding({
        file: intentsFile,
        sectionMessages: (id) => [...sectionMessages(policies, id), ...(id === CONTACT_SECTION_ID ? contactMessages(contact) : [])],
        contact: contactMessages(contact),
      })
    : undefined;

  const phrases = createPhrasesRepo(db);
  const bot = createRunner({
    flows,
    store: sessions,
    actions,
    validators,
    renderer,
    isStaff,
    now,
    logger,
    ...(understanding ? { understanding } : {}),
    // The learning loop: counters per intent, and unmatched phrases (scrubbed) for staff; never in the user's way.
    onUnderstood: (note) => {
      metrics.understood(note.outcome, note.intent ?? "none");
      if (note.outcome === "fallback" && note.text) phrases.record(note.text, now()).catch((err: unknown) => logger.warn({ err: { name: (err as Error).name } }, "unrecognised phrase not recorded"));
    },
    formIdleMs: config.FORM_IDLE_HOURS * 3_600_000,
    defaultLocale,
    timeZone,
  });

  const translate = (locale: Locale, key: I18nKey) => renderer.render({ key }, locale);
  // Claims (single-use links, notice sends) are unique inserts shared by every process.
  const claims = createClaimsRepo(db);
  // Notices the admin CLI queues (e.g. a representation request decided by staff) are sent from here.
  createNoticeJob({ queue: staff.queue, notifier, claims, logger, now }).register();
  // Every update is stored before it is acknowledged (webhook 200, polling offset) and marked
  // done once handled; the insert also de-duplicates deliveries across processes.
  const inboxRepo = createInboxRepo(db);
  const inbox: UpdateInbox = {
    accept: async (key, update) => (await inboxRepo.accept(key, key.slice(0, key.indexOf(":")), update, now())) === "new",
    done: (key) =>
      inboxRepo.done(key, now()).catch((error: unknown) => {
        // Not marked: the sweep handles it again after the lease (rather than losing it).
        logger.warn({ err: { name: (error as Error).name } }, "inbox: could not mark an update done");
      }),
  };
  const channels = new Map<ChannelName, Channel>();
  // Files for the channels that cannot carry them: single-use links served by the HTTP server.
  const fileLinks = createFileLinksRepo(db, claims);
  const botFor = (channel: ChannelName): Bot =>
    withFileDelivery(withCourseCodes(bot), {
      channel,
      render: (m, l) => renderer.render(m, l),
      defaultLocale,
      now,
      ...(config.PUBLIC_URL ? { links: { publicUrl: config.PUBLIC_URL, issuer: fileLinks, ttlMs: FILE_LINK_TTL_MS } } : {}),
    });
  // Channel and server modules (telegraf, axios, fastify) load only when configured: faster start-up, less memory.
  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramChannel } = await import("./channels/telegram/telegram-channel.js");
    channels.set(
      "telegram",
      createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
        ...(config.TELEGRAM_WEBHOOK_URL && config.TELEGRAM_WEBHOOK_SECRET ? { webhook: { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET } } : {}),
        inbox,
        bot: botFor("telegram"),
        metrics,
        logger,
        translate,
        sendGate: budgets.get("telegram")!,
        sendTimeoutMs: config.SEND_TIMEOUT_MS,
        retry: replyRetry,
        onUnreachable: (userId, code) => contacts.markUnreachable(`telegram:${userId}`, code),
      }),
    );
  }
  if (config.ZALO_BOT_TOKEN) {
    const { createZaloChannel } = await import("./channels/zalo/zalo-channel.js");
    channels.set(
      "zalo",
      createZaloChannel({
        token: config.ZALO_BOT_TOKEN,
        apiBase: config.ZALO_API_BASE,
        ...(config.ZALO_WEBHOOK_URL && config.ZALO_WEBHOOK_SECRET ? { webhook: { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET } } : {}),
        inbox,
        bot: botFor("zalo"),
        metrics,
        logger,
        sendGate: budgets.get("zalo")!,
        sendTimeoutMs: config.SEND_TIMEOUT_MS,
        retry: replyRetry,
        onUnreachable: (userId, code) => contacts.markUnreachable(`zalo:${userId}`, code),
      }),
    );
  }
  for (const channel of channels.values()) senders.set(channel.name, channel.sender);

  const terminal = options.terminal
    ? createTerminalChannel({
        bot: withCourseCodes(bot),
        input: options.terminal.input,
        output: options.terminal.output,
        prompt: "isTTY" in options.terminal.input && options.terminal.input.isTTY === true,
        choiceHint: (locale) => renderer.render({ key: "channels:choose_hint" }, locale ?? defaultLocale),
        saveDocument: (document, locale) => {
          const path = saveExport(resolve(config.DATA_DIR, "exports"), document.filename, document.content);
          return renderer.render({ key: "channels:document_saved", params: { path } }, locale ?? defaultLocale);
        },
        onError: (error) => logger.error({ err: { name: (error as Error).name } }, "terminal line failed"),
      })
    : undefined;
  if (terminal) senders.set("terminal", terminal.sender);

  let started = false;
  const ready = async (): Promise<Readiness> => {
    const checks: Record<string, boolean> = { database: await db.ping(), started };
    // A channel that cannot send (hung or unreachable platform) or is far behind takes no more traffic.
    for (const [name, channel] of channels) checks[name] = channel.notReady === undefined;
    return { ok: Object.values(checks).every(Boolean), checks };
  };

  const wantHttp = options.http ?? (channels.size > 0 || config.TERMINAL === "off");
  const telegramHook = channels.get("telegram")?.webhook;
  const zaloHook = channels.get("zalo")?.webhook;
  const http: HttpServer | undefined = wantHttp
    ? (await import("./server/http-server.js")).createHttpServer({
        port: config.PORT,
        host: config.HOST,
        ...(telegramHook ? { telegramWebhook: telegramHook } : {}),
        ...(zaloHook ? { zaloWebhook: zaloHook } : {}),
        ready,
        metrics,
        logger,
        files: { peek: (t, at) => fileLinks.peek(t, at), take: (t, at) => fileLinks.take(t, at), now },
      })
    : undefined;

  const repairs = createRegistrationService(registration);
  const enforceRetention = createPersonalDataRetention({ db, retention, notifier });
  let maintenance: ReturnType<typeof startMaintenance> | undefined;
  let recovery: ReturnType<typeof startInboxRecovery> | undefined;
  let terminalDone: Promise<void> | undefined;
  let httpPort: number | undefined;
  const app: App = {
    bot,
    renderer,
    metrics,
    notifier,
    channels,
    get terminalDone() {
      return terminalDone;
    },
    get httpPort() {
      return httpPort;
    },
    async start() {
      const migrated = await migrateData(db);
      logger.info({ ...migrated }, "data migrations checked");
      // Before anything sends: this process's share of the bot's send rate.
      await shares.start();
      if (http) httpPort = (await http.listen()).port;
      for (const channel of channels.values()) await channel.start();
      await staff.start();
      recovery = startInboxRecovery({
        claimExpired: (names, from, before, at, max) => inboxRepo.claimExpired(names, from, before, at, max),
        done: (key, at) => inboxRepo.done(key, at),
        channels,
        now,
        logger,
        leaseMs: config.INBOX_LEASE_SECONDS * 1_000,
      });
      maintenance = startMaintenance({
        repairRegistrations: (olderThan, at) => repairs.repair(olderThan, at),
        pruneExpired: (at) => pruneExpired(db, at),
        pruneSessions: (at) => pruneSessionRevisions(db, new Date(at.getTime() - PRUNE_AGE_MS)),
        enforceRetention: async (at) => ({ ...(await enforceRetention(at)) }),
        now,
        logger,
      });
      started = true;
      if (terminal) terminalDone = terminal.start();
      logger.info({ channels: [...channels.keys(), ...(terminal ? ["terminal"] : [])], httpPort }, "bot started");
    },
    async stop() {
      started = false;
      await recovery?.stop();
      await maintenance?.stop();
      await Promise.all([...channels.values()].map((c) => c.stop()));
      await sessions.close();
      await http?.close();
      await staff.stop();
      await shares.stop();
    },
    ready,
  };
  return app;
}
