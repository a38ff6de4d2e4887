/**
 * The bot's composition root: the services (`src/composition/services.ts`, shared with the admin
 * CLI) plus the runner, channels and HTTP server, built from the configuration and an open
 * database, and started and stopped in order.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Readable, Writable } from "node:stream";
import type { Config } from "./config.js";
import { createCourseCodeActions } from "./actions/course-code.js";
import { createRegistrationActions } from "./actions/courses.js";
import { createEnterpriseActions } from "./actions/enterprise.js";
import { createPolicyActions } from "./actions/policies.js";
import { createPrivacyActions } from "./actions/privacy.js";
import { createHandoffActions } from "./actions/handoff.js";
import { withStaffAudit } from "./admin/staff-audit.js";
import { ACTION_DEFS } from "./actions/catalog.js";
import type { Channel } from "./channels/shared/channel.js";
import { createNotifier } from "./channels/notifier.js";

import { channelDefinitions, deepLinkFor, remoteChannelEnabled } from "./channels/registry.js";
import type { ChannelDefinition } from "./channels/shared/definition.js";
import { pruneExpired } from "./db/retention.js";
import type { UpdateInbox } from "./channels/shared/update-admission.js";
import { startInboxRecovery } from "./jobs/inbox-recovery.js";
import { withFileDelivery } from "./channels/shared/file-delivery.js";
import { withCourseCodes } from "./channels/shared/course-code-entry.js";
import type { Database } from "./db/database.js";
import { migrateData } from "./db/migrations.js";
import { pruneSessionRevisions, PRUNE_AGE_MS } from "./db/session-store.js";
import { contactMessages } from "./domain/faq/contact-messages.js";
import { CONTACT_SECTION_ID, policiesResourceSchema, sectionMessages } from "./domain/faq/policy-faq.js";
import { createUnderstanding } from "./domain/understand/matcher.js";
import { loadIntentsFile } from "./runtime/load-intents.js";
import { startMaintenance } from "./jobs/maintenance.js";
import { createSendShares } from "./jobs/send-shares.js";
import { validators } from "./domain/validators/index.js";
import type { ActionRegistry } from "./engine/actions.js";
import { loadFlowSet } from "./runtime/load-flows.js";
import { userKey, type Bot, type ChannelName, type I18nKey, type Locale, type Msg, type Notifier, type OutgoingDocument, type Sender, type UserRef } from "./engine/messages.js";
import { createRunner } from "./runtime/runner.js";
import { loadLocales } from "./i18n/load-locales.js";
import { createRendererFromResources, type Renderer } from "./i18n/renderer.js";
import type { Logger } from "./shared/logger.js";
import { clockFrom, systemClock } from "./shared/clock.js";
import { errorFields } from "./shared/error-fields.js";
import { createRepositories } from "./composition/repositories.js";
import { createServices } from "./composition/services.js";
import type { HttpServer, Readiness } from "./server/http-server.js";
import { createMetrics, type Metrics } from "./server/metrics.js";

const root = resolve(import.meta.dirname, "..");
/** How long a file link (for channels without uploads) works; it also works only once. */
const FILE_LINK_TTL_MS = 15 * 60_000;

/** What `createApp` needs; `localChat` streams turn the local chat (the registry's `local` channel) on. */
export interface AppOptions {
  config: Config;
  db: Database;
  logger: Logger;
  localChat?: { input: Readable; output: Writable } | undefined;
  /** Start the HTTP server even without a channel in webhook mode (default: when any platform channel runs or the local chat is off). */
  http?: boolean;
  /** The clock (tests and benchmarks may pass their own); every service reads it, send pacing excepted. */
  now?: () => Date;
  /** The channels (default: the registry, `src/channels/registry.ts`); a test may add its own. */
  channels?: readonly ChannelDefinition[];
}

/** A built app: start it, stop it, ask whether it is ready. */
export interface App {
  readonly bot: Bot;
  readonly renderer: Renderer;
  readonly metrics: Metrics;
  readonly notifier: Notifier;
  readonly channels: ReadonlyMap<ChannelName, Channel>;
  /** Resolves when the local chat's input ended and its last reply was printed. */
  readonly localChatDone?: Promise<void>;
  /** The bound HTTP port once started (when the server runs). */
  readonly httpPort?: number;
  start(): Promise<void>;
  /** Stops receiving, finishes updates in flight (bounded), stops jobs. Does not close the database. */
  stop(): Promise<void>;
  ready(): Promise<Readiness>;
}

/** Writes a file the bot sent in the local chat under `dir` (name stripped of any path) and returns its path. */
function saveExport(dir: string, filename: string, content: Buffer): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(filename));
  writeFileSync(path, content);
  return path;
}

/** The local chat runs when asked for, or automatically when no other channel is configured. */
export function localChatWanted(config: Config): boolean {
  const production = config.NODE_ENV === "production";
  const others = remoteChannelEnabled(config, channelDefinitions, production);
  return channelDefinitions.some((d) => d.local === true && d.enabled(config, others, production));
}

/** Builds the whole bot. Throws `FlowLoadError` when a flow or locale is broken. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, db, logger } = options;
  const definitions = options.channels ?? channelDefinitions;
  const clock = options.now ? clockFrom(options.now) : systemClock;
  const timeZone = config.TZ_NAME;
  const defaultLocale: Locale = config.DEFAULT_LOCALE;
  const resources = loadLocales(resolve(root, "locales"));
  const renderer = createRendererFromResources(resources, timeZone);
  const metrics = createMetrics({ processMetrics: true });
  const repos = createRepositories(db);
  const contacts = repos.contacts;
  const contact = { office: config.CONTACT_OFFICE, phone: config.CONTACT_PHONE, email: config.CONTACT_EMAIL, website: config.CONTACT_WEBSITE };

  const senders = new Map<ChannelName, Sender>();
  // The staff console's address: PUBLIC_URL, or once the server listens, a developer's localhost port (below).
  let consoleUrl = (): string | undefined => config.PUBLIC_URL;
  const notifier = createNotifier({
    senders,
    render: (m, l) => renderer.render(m, l),
    localeOf: (key) => contacts.localeOf(key),
    markUnreachable: (key, code) => contacts.markUnreachable(key, code),
    defaultLocale,
  });

  // Repositories, clock, send budgets, staff side, registration, tickets and sessions: built once, for this process.
  const services = createServices({
    config,
    db,
    repos,
    logger,
    clock,
    render: (m, l) => renderer.render(m, l),
    senders,
    notifier,
    definitions,
    // Course sign-up deep links: the first channel that has them and knows its bot's username.
    deepLink: (payload: string) => deepLinkFor(config, payload, channels, definitions),
    // `/web` links: to wherever this bot's HTTP server is reached.
    consoleUrl: () => consoleUrl(),
  });
  const { staff, tickets, sessions, retention, budgets, ratePerSec, now } = services;
  const isStaff = (user: UserRef) => staff.isStaff(user);
  // With several processes on one database, each uses its share of the bot's rate (a local chat has no account to share).
  const shares = createSendShares({
    db,
    budgets: definitions.filter((d) => !d.local).flatMap((d) => {
      const limiter = budgets.get(d.name);
      return limiter ? [{ limiter, rate: ratePerSec[d.name] ?? 1 }] : [];
    }),
    logger,
  });
  const replyRetry = { maxWaitMs: config.REPLY_MAX_WAIT_S * 1000 };
  let onErased = async (_key: string): Promise<void> => {};
  const registration = { db, notifier, log: logger, hooks: staff.reminderHooks, repos, service: services.registration };
  // Every staff action that changes something is on the staff audit trail (with the console's).
  const actions: ActionRegistry = withStaffAudit({
    ...createPolicyActions({ contact }),
    ...createEnterpriseActions({ db, notifier, log: logger, retention }),
    ...createRegistrationActions({ ...registration, retention }),
    ...createCourseCodeActions({ db }),
    // "Delete my data" also reaches the channels' own data (`onErased`, set once the channels exist).
    ...createPrivacyActions({ ...registration, sessions: { erase: async (key) => { await sessions.erase(key); await onErased(key); } }, label: (m, l) => renderer.render(m, l) }),
    ...staff.actions,
    ...createHandoffActions(tickets),
  }, { defs: ACTION_DEFS, record: (entry) => repos.console.audit(entry, now()), onError: (error) => logger.warn(errorFields(error), "staff audit record not written") });
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

  const phrases = repos.phrases;
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
      if (note.outcome === "fallback" && note.text) phrases.record(note.text, now()).catch((err: unknown) => logger.warn(errorFields(err), "unrecognised phrase not recorded"));
    },
    formIdleMs: config.FORM_IDLE_HOURS * 3_600_000,
    defaultLocale,
    timeZone,
  });

  const translate = (locale: Locale, key: I18nKey) => renderer.render({ key }, locale);
  // Notices the admin CLI queues (e.g. a representation request decided by staff) are sent from here.
  services.noticeJob.register();
  // Every update is stored before it is acknowledged (webhook 200, polling offset) and marked
  // done once handled; the insert also de-duplicates deliveries across processes.
  const inboxRepo = repos.inbox;
  const inbox: UpdateInbox = {
    accept: async (key, update) => (await inboxRepo.accept(key, key.slice(0, key.indexOf(":")), update, now())) === "new",
    // Written behind the reply; stop() waits for those still on their way.
    done: (key) => {
      inboxRepo.markDone(key, now(), (error) => logger.warn(errorFields(error), "inbox: could not mark an update done"));
      return Promise.resolve();
    },
  };
  const channels = new Map<ChannelName, Channel>();
  // Files for the channels that cannot carry them: single-use links served by the HTTP server.
  const fileLinks = repos.fileLinks;
  const botFor = (definition: ChannelDefinition): Bot =>
    definition.local
      ? withCourseCodes(bot)
      : withFileDelivery(withCourseCodes(bot), {
          channel: definition.name,
          files: definition.capabilities.files,
          render: (m, l) => renderer.render(m, l),
          defaultLocale,
          now,
          ...(config.PUBLIC_URL ? { links: { publicUrl: config.PUBLIC_URL, issuer: fileLinks, ttlMs: FILE_LINK_TTL_MS } } : {}),
        });
  const contextFor = (definition: ChannelDefinition) => {
    const sendGate = budgets.get(definition.name);
    return {
      config,
      bot: botFor(definition),
      metrics,
      logger,
      inbox,
      ...(sendGate ? { sendGate } : {}),
      sendTimeoutMs: config.SEND_TIMEOUT_MS,
      retry: replyRetry,
      onUnreachable: (userId: string, code: string) => contacts.markUnreachable(userKey({ channel: definition.name, userId }), code),
      translate,
      render: (m: Msg, l: Locale) => renderer.render(m, l),
      defaultLocale,
      ...(options.localChat ? { console: options.localChat } : {}),
      saveFile: (document: OutgoingDocument) => saveExport(resolve(config.DATA_DIR, "exports"), document.filename, document.content),
      services: {
        db,
        sessions,
        localeOf: (key: string) => contacts.localeOf(key),
        fileLinks: { create: (doc: OutgoingDocument, owner: string, at: Date, expiresAt: Date) => fileLinks.create(doc, owner, at, expiresAt), ttlMs: FILE_LINK_TTL_MS },
        production: config.NODE_ENV === "production",
        now,
      },
    };
  };
  // Each configured channel from its definition; its platform module (telegraf, axios…) loads only then.
  for (const definition of definitions) {
    if (definition.local || !definition.enabled(config, false, config.NODE_ENV === "production")) continue;
    channels.set(definition.name, await definition.create(contextFor(definition)));
  }
  // "Delete my data" also makes each channel forget what it keeps itself (a chat history, a cookie).
  onErased = async (key) => {
    await Promise.all([...channels.values()].map((c) => c.forget?.(key)));
  };
  for (const channel of channels.values()) senders.set(channel.name, channel.sender);
  // The local chat runs when its streams are given; it is not a platform channel (no readiness check, no inbox).
  const localDefinition = options.localChat ? definitions.find((d) => d.local === true) : undefined;
  const localChat = localDefinition ? await localDefinition.create(contextFor(localDefinition)) : undefined;
  if (localChat) senders.set(localChat.name, localChat.sender);
  let started = false;
  const ready = async (): Promise<Readiness> => {
    const checks: Record<string, boolean> = { database: await db.ping(), started };
    // A channel that cannot send (hung or unreachable platform) or is far behind takes no more traffic.
    for (const [name, channel] of channels) checks[name] = channel.notReady === undefined;
    return { ok: Object.values(checks).every(Boolean), checks };
  };

  const wantHttp = options.http ?? (channels.size > 0 || !localChatWanted(config));
  // The console is reached at PUBLIC_URL; a developer's bot without one, at its own localhost port.
  consoleUrl = () => config.PUBLIC_URL ?? (config.NODE_ENV !== "production" && httpPort !== undefined ? `http://localhost:${httpPort}` : undefined);
  const staffConsole = wantHttp
    ? (await import("./console/index.js")).consoleRoutes({
        services,
        render: (m, l) => renderer.render(m, l),
        defaultLocale,
        timeZone,
        production: config.NODE_ENV === "production",
        publicUrl: () => consoleUrl(),
        signinPerMinute: config.CONSOLE_SIGNIN_PER_MINUTE,
        logger,
      })
    : undefined;
  const http: HttpServer | undefined = wantHttp
    ? (await import("./server/http-server.js")).createHttpServer({
        port: config.PORT,
        host: config.HOST,
        channels: channels.values(),
        ready,
        metrics,
        logger,
        files: { peek: (t, at) => fileLinks.peek(t, at), take: (t, at) => fileLinks.take(t, at), now },
        routes: staffConsole ? [staffConsole] : [],
      })
    : undefined;

  const repairs = services.registration;
  const { enforceRetention } = services;
  let maintenance: ReturnType<typeof startMaintenance> | undefined;
  let recovery: ReturnType<typeof startInboxRecovery> | undefined;
  let localChatDone: Promise<void> | undefined;
  let httpPort: number | undefined;
  const app: App = {
    bot,
    renderer,
    metrics,
    notifier,
    channels,
    get localChatDone() {
      return localChatDone;
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
      if (localChat) {
        await localChat.start();
        localChatDone = localChat.done;
      }
      logger.info({ channels: [...channels.keys(), ...(localChat ? [localChat.name] : [])], httpPort }, "bot started");
    },
    async stop() {
      started = false;
      await recovery?.stop();
      await maintenance?.stop();
      await Promise.all([...channels.values()].map((c) => c.stop()));
      await inboxRepo.settle();
      await sessions.close();
      await http?.close();
      await staff.stop();
      await shares.stop();
    },
    ready,
  };
  return app;
}
