/**
 * The runner: the I/O around the pure engine. For each update it loads the session, runs the
 * engine and the actions it asks for, renders the replies and saves the session once, with
 * the update's key and those replies: a replay of an update already saved is answered from
 * them, never run twice (a crash between the save and the sends loses nothing). One
 * user's updates run strictly in order; different users run concurrently.
 */
import { createHash } from "node:crypto";
import type { ActionRegistry } from "../engine/actions.js";
import { errorFields } from "../engine/error-fields.js";
import { isDatabaseOutage } from "../db/classify-error.js";
import { advance, promptAgain } from "../engine/engine.js";
import type { AnswerFreeText, EngineDeps, Reply, UnderstoodNote, Understanding } from "../engine/engine-types.js";
import { FlowError } from "../engine/flow-error.js";
import type { FlowSet } from "../engine/flow-schema.js";
import { createKeyedQueue } from "../shared/keyed-queue.js";
import type { Logger } from "../shared/logger.js";
import { userKey, type Bot, type Incoming, type Locale, type Msg, type Outgoing, type UserRef } from "../engine/messages.js";
import { localeFromHint, newSession, parseSession, type Session } from "../engine/session.js";
import type { SessionStore } from "../engine/session-store.js";
import type { ValidatorRegistry } from "../engine/validation.js";

/** Everything the runner needs, passed in by the composition root. */
export interface RunnerDeps {
  flows: FlowSet;
  store: SessionStore;
  actions: ActionRegistry;
  validators: ValidatorRegistry;
  renderer: { render(msg: Msg, locale: Locale): string };
  isStaff(user: UserRef): Promise<boolean>;
  now(): Date;
  logger: Logger;
  answerFreeText?: AnswerFreeText;
  /** Free-text understanding and the global words (built once at start). */
  understanding?: Understanding;
  /** Told what free text was read as (metrics, unrecognised phrases); must not throw or block. */
  onUnderstood?: (note: UnderstoodNote, incoming: Incoming) => void;
  /** Idle time after which a form expires (default 24 h). */
  formIdleMs?: number;
  defaultLocale: Locale;
  timeZone: string;
  /** Actions one update may run before the runner assumes a loop (default 20). */
  maxActionHops?: number;
}

/** Tries of one update when its session save keeps losing to another process. */
const MAX_ATTEMPTS = 3;

/** `drive`'s answer when the session it was given turned out not to be the latest. */
const STALE = Symbol("stale session");

/** Every try of an update lost its save to another process (answered as "try again"). */
class SessionBusyError extends Error {
  override name = "SessionBusyError";
}

/** The reply the engine gives a non-staff user who reaches a staff-only flow. */
const REFUSED_KEY = "common:errors.not_allowed";

/** The command word of a typed command (`/broadcast 42` → `broadcast`), for logs; never its arguments. */
function commandName(text: string | undefined): string | undefined {
  const m = /^\/([A-Za-z_]{1,32})/.exec(text?.trim() ?? "");
  return m?.[1];
}

/** A short, irreversible id for logs: lets support correlate one user's lines without the raw id. */
export function hashUserKey(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

/** Renders replies into what channels send. */
export function renderReplies(replies: Reply[], locale: Locale, render: (msg: Msg, locale: Locale) => string): Outgoing[] {
  return replies.map((r) => {
    const out: Outgoing = { text: r.text.map((m) => render(m, locale)).join("\n\n"), locale };
    if (r.choices && r.choices.length > 0) out.choices = r.choices.map((c) => ({ id: c.id, label: render(c.label, locale) }));
    if (r.shortcuts && r.shortcuts.length > 0) out.shortcuts = r.shortcuts.map((c) => ({ id: c.id, label: render(c.label, locale) }));
    if (r.document) out.document = r.document;
    return out;
  });
}

/** Builds the Bot that channels call. */
export function createRunner(deps: RunnerDeps): Bot {
  const queue = createKeyedQueue();
  const maxHops = deps.maxActionHops ?? 20;
  const render = (m: Msg, l: Locale) => deps.renderer.render(m, l);
  const engineDeps = (now: Date): EngineDeps => ({
    validators: deps.validators,
    now,
    timeZone: deps.timeZone,
    label: (m, l) => deps.renderer.render(m, l),
    defaultLocale: deps.defaultLocale,
    ...(deps.answerFreeText ? { answerFreeText: deps.answerFreeText } : {}),
    ...(deps.understanding ? { understanding: deps.understanding } : {}),
    ...(deps.formIdleMs !== undefined ? { formIdleMs: deps.formIdleMs } : {}),
  });

  /** Validates the stored session; an unreadable one restarts with a notice. */
  function load(incoming: Incoming, key: string, stored: unknown, now: Date): { session: Session | null; notices: Reply[] } {
    const parsed = parseSession(stored);
    if (parsed.status === "ok") return { session: parsed.session, notices: [] };
    if (parsed.status === "missing") return { session: null, notices: [] };
    deps.logger.warn({ channel: incoming.user.channel, user: hashUserKey(key) }, "stored session unreadable; starting again");
    const locale = parsed.locale ?? localeFromHint(incoming.localeHint, deps.defaultLocale);
    return { session: newSession(locale, now), notices: [{ text: [{ key: "common:errors.session_reset" }] }] };
  }

  /**
   * Runs the engine and the actions it asks for, until it waits for the user. `hold`, when
   * given, is asked once before the first action that is not read-only (it holds the session's
   * next revision for this update); if it says no, nothing with side effects has run and the
   * answer is `STALE` (read again and start over).
   */
  async function drive(incoming: Incoming, session: Session | null, now: Date, replies: Reply[], hold?: () => Promise<boolean>): Promise<Session | typeof STALE> {
    const eDeps = engineDeps(now);
    const isStaff = await deps.isStaff(incoming.user);
    let step = advance(deps.flows, session, { type: "incoming", incoming, isStaff }, eDeps);
    replies.push(...step.replies);
    if (step.understood) {
      try {
        deps.onUnderstood?.(step.understood, incoming);
      } catch {
        // The learning loop must never cost the user an answer.
      }
    }
    if (!isStaff && step.replies.some((r) => r.text.some((m) => m.key === REFUSED_KEY))) {
      // The engine answers a non-staff attempt neutrally; the audit trail is here, without personal data.
      deps.logger.warn({ channel: incoming.user.channel, user: hashUserKey(userKey(incoming.user)), command: commandName(incoming.text) }, "staff-only command refused");
    }
    let verified = !hold;
    for (let hops = 0; step.effect; hops++) {
      if (hops >= maxHops) throw new FlowError(`more than ${maxHops} actions in one update`, { action: step.effect.action });
      const handler = deps.actions[step.effect.action];
      if (!handler) throw new FlowError("unknown action", { action: step.effect.action });
      if (!verified && !handler.readOnly) {
        if (!(await hold?.())) return STALE;
        verified = true;
      }
      const current = step.session;
      const result = await handler({ user: incoming.user, locale: current.locale, data: current.data, vars: current.vars, now, isStaff });
      step = advance(deps.flows, current, { type: "action_result", result, isStaff }, eDeps);
      replies.push(...step.replies);
    }
    return step.session;
  }

  /** The error boundary's answer: an apology, then the step the user is still at. */
  function apologise(err: unknown, incoming: Incoming, key: string, loaded: Session | null, now: Date): Outgoing[] {
    if (err instanceof Error && err.name === "NotStaffError") {
      // Staff rights ended between the menu and the action (removed on another process): refuse, change nothing.
      deps.logger.warn({ channel: incoming.user.channel, user: hashUserKey(key) }, "staff action refused: not staff now");
      return renderReplies([{ text: [{ key: REFUSED_KEY }] }], loaded?.locale ?? localeFromHint(incoming.localeHint, deps.defaultLocale), render);
    }
    const busy = err instanceof SessionBusyError;
    const outage = busy || isDatabaseOutage(err);
    const fields = { ...errorFields(err), channel: incoming.user.channel, user: hashUserKey(key) };
    if (busy) deps.logger.warn(fields, "session kept changing elsewhere; update given up");
    else deps.logger.error(fields, outage ? "database unavailable" : "update failed");
    const replies: Reply[] = [{ text: [{ key: outage ? "common:errors.unavailable" : "common:errors.unexpected" }] }];
    try {
      // The session was not saved, so the user is still where they were: show that step again to retry.
      if (loaded) replies.push(...promptAgain(deps.flows, loaded, engineDeps(now)));
    } catch {
      // The prompt itself failing must not hide the apology.
    }
    return renderReplies(replies, loaded?.locale ?? localeFromHint(incoming.localeHint, deps.defaultLocale), render);
  }

  async function process(incoming: Incoming): Promise<Outgoing[]> {
    const key = userKey(incoming.user);
    const now = deps.now();
    let loaded: Session | null = null;
    try {
      // Another process may save this user's session between our read and our save (a load
      // balancer moved them): then our save loses, nothing was sent, and we run the update again.
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const stored = await deps.store.read(key, attempt > 1 ? { fresh: true } : undefined);
        // Saved before, its replies maybe never sent (a crash): answer as then, do not run it again.
        if (incoming.updateKey !== undefined && stored.handled?.key === incoming.updateKey) return stored.handled.replies;
        const earlier = incoming.updateKey !== undefined ? stored.handled?.earlier?.find((e) => e.key === incoming.updateKey) : undefined;
        if (earlier) {
          // The person went on since: tell them what it did, without its (now stale) choices.
          const then = await deps.store.readHandled?.(key, earlier.rev);
          return (then?.replies ?? []).map(({ choices: _choices, ...out }) => out);
        }
        const { session, notices } = stored.saved ? { session: stored.saved, notices: [] } : load(incoming, key, stored.value, now);
        loaded = session;
        const replies = [...notices];
        // The revision this update's save names: the one read, or the next one once held for it.
        let base = stored.revision;
        const hold = stored.verified
          ? undefined
          : async () => {
              const held = await deps.store.holdCurrent(key, stored.revision);
              if (held !== null) base = held;
              return held !== null;
            };
        const next = await drive(incoming, session, now, replies, hold);
        if (next === STALE) continue;
        const out = renderReplies(replies, next.locale, render);
        const handled = incoming.updateKey !== undefined ? { key: incoming.updateKey, replies: out } : undefined;
        if ((await deps.store.write(key, next, base, handled)) === "saved") return out;
      }
      throw new SessionBusyError();
    } catch (err) {
      return apologise(err, incoming, key, loaded, now);
    }
  }

  return { handle: (incoming) => queue.run(userKey(incoming.user), () => process(incoming)) };
}
