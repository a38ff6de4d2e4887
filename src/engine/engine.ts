/**
 * The pure flow engine: `advance(flows, session, event, deps)` returns the new session, the
 * replies and, at an `action` step, an effect the runner performs and feeds back as an
 * `action_result` event. No I/O, no clock, no globals: everything comes in through `deps`.
 */
import type { ActionResult } from "./actions.js";
import { command } from "./commands.js";
import { dispatchInput, dispatchPrompt, dispatchResult, isWaiting, receivesResults } from "./dispatch.js";
import { DEFAULT_FORM_IDLE_MS, type AdvanceResult, type EngineDeps, type EngineEvent, type Reply } from "./engine-types.js";
import { FlowError } from "./flow-error.js";
import type { FlowSet, Step } from "./flow-schema.js";
import type { I18nKey, Incoming } from "./messages.js";
import { cloneSession, localeFromHint, newSession, type Session } from "./session.js";
import type { StepInput } from "./steps/step-types.js";
import { answerPending, applyGlobalWord, follow, globalWordAt, understandText, UNDERSTAND_KEYS } from "./understand.js";
import { apply, atMainForPress, choiceTag, clearFlow, ctxOf, currentStep, reask, say, showPrompt, toMain, unmatched, type Stop, type Work } from "./work.js";

export { BUILTIN_COMMANDS } from "./commands.js";
export { choiceTag } from "./work.js";

/** i18n keys the engine itself uses (checked by flows:check in every locale). */
export const ENGINE_KEYS: readonly I18nKey[] = [
  "common:welcome", "common:fallback", "common:yes", "common:no", "common:back", "common:skip", "common:empty_value",
  "common:menu.done", "common:menu.selected", "common:menu.multi_hint",
  "common:help.here", "common:help.commands",
  "common:cancel.done", "common:cancel.nothing", "common:cancel.form_dropped",
  "common:errors.stale_choice", "common:errors.unknown_command", "common:errors.not_allowed", "common:errors.form_expired",
  "common:errors.unsupported_input", "common:errors.too_many_failures", "common:errors.choose_option", "common:errors.pick_at_least",
  "common:errors.session_reset", "common:errors.unexpected", "common:errors.unavailable",
  ...UNDERSTAND_KEYS,
];

/** Verifies a pressed button against the current step: `<tag>.<id>` (or a bare id) it offers. */
function pressed(w: Work, step: Step, choiceId: string): string | null {
  if (w.s.flow === null || !isWaiting(step)) return null;
  const dot = choiceId.indexOf(".");
  if (dot >= 0 && choiceId.slice(0, dot) !== choiceTag(w.s.flow, step.id)) return null;
  const id = dot >= 0 ? choiceId.slice(dot + 1) : choiceId;
  const offered = dispatchPrompt(step, ctxOf(w)).choices ?? [];
  return offered.some((c) => c.id === id) ? id : null;
}

/** Whether the session cannot simply continue (its step vanished, staff rights ended, its form expired); if so drops it and says so. */
function interrupted(w: Work): boolean {
  if (w.s.flow !== null && w.s.step !== null && !currentStep(w)) {
    // The flows changed under a session in flight: start again politely.
    say(w, "common:errors.session_reset");
    clearFlow(w);
    return true;
  }
  const idleMs = w.deps.formIdleMs ?? DEFAULT_FORM_IDLE_MS;
  const flow = w.s.flow === null ? undefined : w.flows.flows.get(w.s.flow);
  if (flow?.staff && !w.isStaff) {
    // Staff rights were removed mid-conversation: they take effect at once.
    say(w, "common:errors.not_allowed");
    clearFlow(w);
    return true;
  }
  if (flow?.form && w.deps.now.getTime() - Date.parse(w.s.updatedAt) > idleMs) {
    say(w, "common:errors.form_expired");
    clearFlow(w);
    return true;
  }
  return false;
}

/** Typed text or a pressed button at the step the session is at. */
function answer(w: Work, inc: Incoming, text: string): Stop {
  if (inc.kind === "choice") atMainForPress(w, inc.choiceId ?? "");
  const step = currentStep(w);
  if (!step || w.s.flow === null || !isWaiting(step)) {
    if (inc.kind !== "choice") return unmatched(w, text);
    say(w, "common:errors.stale_choice");
    return toMain(w);
  }
  let input: StepInput;
  if (inc.kind === "choice") {
    const id = pressed(w, step, inc.choiceId ?? "");
    if (id === null) return reask(w, "common:errors.stale_choice");
    input = { kind: "choice", id };
  } else {
    if (text === "") return showPrompt(w);
    input = { kind: "text", text };
  }
  return apply(w, dispatchInput(step, ctxOf(w), input));
}

function incoming(w: Work, inc: Incoming): Stop {
  const text = (inc.text ?? "").trim();
  const isCommand = inc.kind === "text" && text.startsWith("/");
  if (interrupted(w)) return isCommand ? command(w, text) : toMain(w);
  if (isCommand) return command(w, text);
  if (inc.kind === "unsupported") return reask(w, "common:errors.unsupported_input");
  const offered = answerPending(w, inc, (t) => command(w, t));
  if (offered) return offered;
  // Words that work at every question (cancel, back, menu, help, a person), before the step reads the answer.
  const word = inc.kind === "text" ? globalWordAt(w, text) : null;
  if (word !== null) return applyGlobalWord(w, word, (t) => command(w, t));
  return answer(w, inc, text);
}

function firstContact(w: Work, inc: Incoming): Stop {
  const u = w.deps.understanding;
  const text = inc.kind === "text" ? (inc.text ?? "").trim() : "";
  if (u && text !== "") {
    // A first message clearly in English is answered in English (/lang switches back; an explicit choice wins later).
    if (u.detectLocale(text) === "en" && w.s.locale !== "en") {
      w.s.locale = "en";
      say(w, "common:welcome", "common:understand.lang_detected");
    } else {
      say(w, "common:welcome");
    }
    const got = u.understand(text, w.s.locale);
    if (got.kind === "intent") w.understood = { outcome: "understood", intent: got.intent };
    if (got.kind === "intent") return follow(w, got.target, (t) => command(w, t), got.target.kind === "honest" ? text : undefined);
    return toMain(w);
  }
  say(w, "common:welcome");
  const answer = inc.kind === "text" && inc.text ? w.deps.answerFreeText?.(inc.text.trim(), w.s.locale) : null;
  for (const m of answer ?? []) w.replies.push({ text: [m] });
  return toMain(w);
}

function actionResult(w: Work, result: ActionResult): Stop {
  const step = currentStep(w);
  if (!step || !receivesResults(step) || w.s.flow === null) throw new FlowError("an action result arrived while not at an action step", { step: w.s.step ?? "" });
  return apply(w, dispatchResult(step, ctxOf(w), result));
}

/** Applies one event to a session (null: a new user). Pure: the input session is not modified. */
export function advance(flows: FlowSet, session: Session | null, event: EngineEvent, deps: EngineDeps): AdvanceResult<Session> {
  const fresh = session === null;
  const locale = event.type === "incoming" ? localeFromHint(event.incoming.localeHint, deps.defaultLocale) : deps.defaultLocale;
  const s = fresh ? newSession(locale, deps.now) : cloneSession(session);
  const w: Work = { flows, deps, s, replies: [], isStaff: event.isStaff, steps: 0 };
  const u = deps.understanding;
  if (u) w.understand = (text) => understandText(w, u, text, (t) => command(w, t));
  let stop: Stop;
  if (event.type === "incoming") {
    const text = (event.incoming.text ?? "").trim();
    // A brand-new user gets the welcome and the main menu (after a FAQ answer if one fits), unless they sent a command.
    stop = fresh && !(event.incoming.kind === "text" && text.startsWith("/")) ? firstContact(w, event.incoming) : incoming(w, event.incoming);
    w.s.updatedAt = deps.now.toISOString();
  } else {
    stop = actionResult(w, event.result);
  }
  return { session: w.s, replies: w.replies, ...(stop.effect ? { effect: stop.effect } : {}), ...(w.understood ? { understood: w.understood } : {}) };
}

/** The current step's prompt again (or the main menu), e.g. after an error; the session is unchanged. */
export function promptAgain(flows: FlowSet, session: Session, deps: EngineDeps): Reply[] {
  const w: Work = { flows, deps, s: cloneSession(session), replies: [], isStaff: false, steps: 0 };
  const step = currentStep(w);
  if (step && isWaiting(step)) showPrompt(w);
  return w.replies;
}
