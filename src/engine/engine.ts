/**
 * The pure flow engine: `advance(flows, session, event, deps)` returns the new session, the
 * replies and, at an `action` step, an effect the runner performs and feeds back as an
 * `action_result` event. No I/O, no clock, no globals: everything comes in through `deps`.
 */
import type { ActionResult } from "./actions.js";
import { dispatchInput, dispatchPrompt, dispatchResult, dispatchRun, isWaiting } from "./dispatch.js";
import { DEFAULT_FORM_IDLE_MS, type AdvanceResult, type EngineDeps, type EngineEvent, type Reply } from "./engine-types.js";
import { HELP_FLOW, LANGUAGE_FLOW, MAIN_FLOW } from "./ids.js";
import { matchLabel as defaultMatch } from "./match-label.js";
import type { Incoming, Msg } from "./messages.js";
import { resolveMsg } from "./msg-ref.js";
import type { FlowSet, Step } from "./flow-schema.js";
import { MAX_HISTORY, localeFromHint, newSession, type Session } from "./session.js";
import { MAX_FAILURES } from "./steps/ask.js";
import type { SessionPatch, StepContext, StepInput, StepResult, Target } from "./steps/step-types.js";

/** Steps run in one advance before the engine assumes a loop in the flows. */
const MAX_STEPS = 100;

/** Commands the engine handles itself; flows may not reuse them. */
export const BUILTIN_COMMANDS: readonly string[] = ["start", "menu", "help", "cancel", "lang"];

/** i18n keys the engine itself uses (checked by flows:check in every locale). */
export const ENGINE_KEYS: readonly string[] = [
  "common:welcome", "common:fallback", "common:yes", "common:no", "common:back", "common:skip", "common:empty_value",
  "common:menu.done", "common:menu.selected", "common:menu.multi_hint",
  "common:help.here", "common:help.commands",
  "common:cancel.done", "common:cancel.nothing", "common:cancel.form_dropped",
  "common:errors.stale_choice", "common:errors.unknown_command", "common:errors.not_allowed", "common:errors.form_expired",
  "common:errors.unsupported_input", "common:errors.too_many_failures", "common:errors.choose_option", "common:errors.pick_at_least",
  "common:errors.session_reset", "common:errors.unexpected", "common:errors.unavailable",
];

/** A short, stable tag for a step; issued choice ids are `<tag>.<id>` so old buttons are recognised as stale. */
export function choiceTag(flowId: string, stepId: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${flowId}/${stepId}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, "0").slice(-6);
}

/** The per-advance working state (a private copy of the session). */
interface Work {
  flows: FlowSet;
  deps: EngineDeps;
  s: Session;
  replies: Reply[];
  isStaff: boolean;
  steps: number;
}

type Stop = { effect?: { action: string } };

function ctxOf(w: Work, flowId: string): StepContext {
  const locale = w.s.locale;
  const label = (m: Msg) => w.deps.label(m, locale);
  const match = w.deps.matchLabel ?? defaultMatch;
  return {
    flowId,
    isForm: w.flows.flows.get(flowId)?.form ?? false,
    session: w.s,
    deps: w.deps,
    locale,
    msg: (ref) => resolveMsg(ref, w.s, locale, w.deps.label),
    label,
    match: (text, choices, opts) => match(text, choices.map((c) => ({ id: c.id, label: label(c.label) })), opts),
  };
}

const say = (w: Work, ...keys: (string | Msg)[]) => {
  w.replies.push({ text: keys.map((k) => (typeof k === "string" ? { key: k } : k)) });
};

function applyPatch(w: Work, patch: SessionPatch | undefined): void {
  if (!patch) return;
  for (const [field, target] of [["data", w.s.data], ["vars", w.s.vars]] as const) {
    for (const [k, v] of Object.entries(patch[field] ?? {})) {
      if (v === null) delete target[k];
      else target[k] = v;
    }
  }
  if (patch.failures !== undefined) w.s.failures = patch.failures;
  if (patch.dynamic !== undefined) w.s.dynamic = patch.dynamic;
  if (patch.locale !== undefined) w.s.locale = patch.locale;
}

function currentStep(w: Work): Step | null {
  if (w.s.flow === null || w.s.step === null) return null;
  return w.flows.steps.get(w.s.flow)?.get(w.s.step) ?? null;
}

function isInFormWithData(w: Work): boolean {
  return w.s.flow !== null && (w.flows.flows.get(w.s.flow)?.form ?? false) && Object.keys(w.s.data).length > 0;
}

function clearFlow(w: Work): void {
  w.s.flow = null;
  w.s.step = null;
  w.s.data = {};
  w.s.failures = 0;
  delete w.s.dynamic;
}

/** Shows the prompt of the waiting step the session is at (tagged choices, history for Back). */
function showPrompt(w: Work): Stop {
  const step = currentStep(w);
  if (!step || !isWaiting(step) || w.s.flow === null) return toMain(w);
  const reply = dispatchPrompt(step, ctxOf(w, w.s.flow));
  const tag = choiceTag(w.s.flow, step.id);
  if (reply.choices) reply.choices = reply.choices.map((c) => ({ id: `${tag}.${c.id}`, label: c.label }));
  w.replies.push(reply);
  if (step.type === "menu") {
    const top = w.s.history[w.s.history.length - 1];
    if (!top || top.flow !== w.s.flow || top.step !== step.id) w.s.history = [...w.s.history, { flow: w.s.flow, step: step.id }].slice(-MAX_HISTORY);
  }
  return {};
}

function toMain(w: Work): Stop {
  clearFlow(w);
  w.s.history = [];
  const main = w.flows.flows.get(MAIN_FLOW);
  if (!main) throw new Error("the main flow is missing");
  return run(w, MAIN_FLOW, main.start);
}

/** Enters a flow from outside (menu choice, command): checks staff, drops the previous flow's data. */
function enterFlow(w: Work, flowId: string, stepId: string | undefined, data: Record<string, unknown> = {}): Stop {
  const flow = w.flows.flows.get(flowId);
  if (!flow) throw new Error(`unknown flow ${flowId}`);
  if (flow.staff && !w.isStaff) {
    say(w, "common:errors.not_allowed");
    return toMain(w);
  }
  clearFlow(w);
  w.s.data = data;
  return run(w, flowId, stepId ?? flow.start);
}

function goTo(w: Work, to: Target): Stop {
  if (to.flow === undefined || to.flow === w.s.flow && to.via !== "enter") {
    if (w.s.flow === null || to.step === undefined) throw new Error("a step target needs a current flow");
    w.s.failures = 0;
    return run(w, w.s.flow, to.step);
  }
  if (to.via === "enter") return enterFlow(w, to.flow, to.step);
  const flow = w.flows.flows.get(to.flow);
  if (!flow) throw new Error(`unknown flow ${to.flow}`);
  if (flow.staff && !w.isStaff) {
    say(w, "common:errors.not_allowed");
    return toMain(w);
  }
  w.s.failures = 0;
  return run(w, to.flow, to.step ?? flow.start);
}

function back(w: Work): Stop {
  const history = [...w.s.history];
  const top = history[history.length - 1];
  if (top && top.flow === w.s.flow && top.step === w.s.step) history.pop();
  const prev = history[history.length - 1];
  w.s.history = history;
  if (!prev || prev.flow !== w.s.flow) {
    // Leaving this flow by Back: a half-filled form is dropped, and the user is told.
    if (isInFormWithData(w)) say(w, "common:cancel.form_dropped");
    if (!prev || prev.flow === MAIN_FLOW) return toMain(w);
    clearFlow(w);
  }
  w.s.failures = 0;
  return run(w, prev.flow, prev.step);
}

function unmatched(w: Work, text: string): Stop {
  const flow = w.s.flow === null ? undefined : w.flows.flows.get(w.s.flow);
  if (flow?.form) {
    w.s.failures += 1;
    say(w, "common:errors.choose_option", ...(w.s.failures >= MAX_FAILURES ? ["common:errors.too_many_failures"] : []));
    return showPrompt(w);
  }
  const answer = w.deps.answerFreeText?.(text, w.s.locale);
  if (answer && answer.length > 0) {
    for (const m of answer) w.replies.push({ text: [m] });
    return showPrompt(w);
  }
  say(w, "common:fallback");
  return toMain(w);
}

function apply(w: Work, result: StepResult): Stop {
  switch (result.kind) {
    case "go":
      applyPatch(w, result.patch);
      w.replies.push(...result.replies);
      return goTo(w, result.to);
    case "wait":
      applyPatch(w, result.patch);
      w.replies.push(...result.replies);
      return result.prompt ? showPrompt(w) : {};
    case "back":
      return back(w);
    case "end":
      w.replies.push(...result.replies);
      if (result.to === "menu") return toMain(w);
      clearFlow(w);
      w.s.history = [];
      return {};
    case "effect":
      return { effect: { action: result.action } };
    case "unmatched":
      return unmatched(w, result.text);
  }
}

/** Runs steps from (flow, step) until one waits for the user or needs an action. */
function run(w: Work, flowId: string, stepId: string): Stop {
  w.steps += 1;
  if (w.steps > MAX_STEPS) throw new Error(`flow loop: more than ${MAX_STEPS} steps in one update (at ${flowId}.${stepId})`);
  const step = w.flows.steps.get(flowId)?.get(stepId);
  if (!step) throw new Error(`unknown step ${flowId}.${stepId}`);
  w.s.flow = flowId;
  w.s.step = stepId;
  if (isWaiting(step)) return showPrompt(w);
  return apply(w, dispatchRun(step, ctxOf(w, flowId)));
}

function contextHelp(w: Work): Stop {
  const step = currentStep(w);
  const flow = w.s.flow === null ? undefined : w.flows.flows.get(w.s.flow);
  if (!step || !flow || flow.id === MAIN_FLOW) return enterFlow(w, HELP_FLOW, undefined);
  const ctx = ctxOf(w, flow.id);
  const here = step.help ?? flow.help;
  w.replies.push({ text: [here ? ctx.msg(here) : { key: "common:help.here" }, { key: "common:help.commands" }] });
  return showPrompt(w);
}

function command(w: Work, text: string): Stop {
  const [head = "", ...rest] = text.slice(1).split(/\s+/);
  const name = head.split("@")[0]!.toLowerCase();
  const args = rest.join(" ").trim();
  const leaving = () => { if (isInFormWithData(w)) say(w, "common:cancel.form_dropped"); };
  switch (name) {
    case "start":
      say(w, "common:welcome");
      return toMain(w);
    case "menu":
      leaving();
      return toMain(w);
    case "help":
      return contextHelp(w);
    case "cancel":
      say(w, w.s.flow !== null && w.flows.flows.get(w.s.flow)?.form ? "common:cancel.done" : "common:cancel.nothing");
      return toMain(w);
    case "lang":
      leaving();
      return enterFlow(w, LANGUAGE_FLOW, undefined);
  }
  const flowId = w.flows.commands.get(name);
  const flow = flowId === undefined ? undefined : w.flows.flows.get(flowId);
  if (!flow) {
    say(w, "common:errors.unknown_command");
    return showPrompt(w);
  }
  if (flow.staff && !w.isStaff) {
    say(w, "common:errors.not_allowed");
    return showPrompt(w);
  }
  leaving();
  return enterFlow(w, flow.id, undefined, args ? { args } : {});
}

/** Verifies a pressed button against the current step: `<tag>.<id>` (or a bare id) it offers. */
function pressed(w: Work, step: Step, choiceId: string): string | null {
  if (w.s.flow === null || !isWaiting(step)) return null;
  const dot = choiceId.indexOf(".");
  if (dot >= 0 && choiceId.slice(0, dot) !== choiceTag(w.s.flow, step.id)) return null;
  const id = dot >= 0 ? choiceId.slice(dot + 1) : choiceId;
  const offered = dispatchPrompt(step, ctxOf(w, w.s.flow)).choices ?? [];
  return offered.some((c) => c.id === id) ? id : null;
}

function incoming(w: Work, inc: Incoming): Stop {
  const text = (inc.text ?? "").trim();
  const isCommand = inc.kind === "text" && text.startsWith("/");
  if (w.s.flow !== null && w.s.step !== null && !currentStep(w)) {
    // The flows changed under a session in flight: start again politely.
    say(w, "common:errors.session_reset");
    return isCommand ? command(w, text) : toMain(w);
  }
  const idleMs = w.deps.formIdleMs ?? DEFAULT_FORM_IDLE_MS;
  const flow = w.s.flow === null ? undefined : w.flows.flows.get(w.s.flow);
  if (flow?.form && w.deps.now.getTime() - Date.parse(w.s.updatedAt) > idleMs) {
    say(w, "common:errors.form_expired");
    clearFlow(w);
    return isCommand ? command(w, text) : toMain(w);
  }
  if (isCommand) return command(w, text);
  if (inc.kind === "unsupported") {
    say(w, "common:errors.unsupported_input");
    return showPrompt(w);
  }
  const step = currentStep(w);
  if (!step || w.s.flow === null || !isWaiting(step)) {
    if (inc.kind === "choice") {
      say(w, "common:errors.stale_choice");
      return toMain(w);
    }
    return unmatched(w, text);
  }
  let input: StepInput;
  if (inc.kind === "choice") {
    const id = pressed(w, step, inc.choiceId ?? "");
    if (id === null) {
      say(w, "common:errors.stale_choice");
      return showPrompt(w);
    }
    input = { kind: "choice", id };
  } else {
    if (text === "") return showPrompt(w);
    input = { kind: "text", text };
  }
  return apply(w, dispatchInput(step, ctxOf(w, w.s.flow), input));
}

function firstContact(w: Work, inc: Incoming): Stop {
  say(w, "common:welcome");
  const answer = inc.kind === "text" && inc.text ? w.deps.answerFreeText?.(inc.text.trim(), w.s.locale) : null;
  for (const m of answer ?? []) w.replies.push({ text: [m] });
  return toMain(w);
}

function actionResult(w: Work, result: ActionResult): Stop {
  const step = currentStep(w);
  if (!step || step.type !== "action" || w.s.flow === null) throw new Error("an action result arrived while not at an action step");
  return apply(w, dispatchResult(step, ctxOf(w, w.s.flow), result));
}

/** Applies one event to a session (null: a new user). Pure: the input session is not modified. */
export function advance(flows: FlowSet, session: Session | null, event: EngineEvent, deps: EngineDeps): AdvanceResult<Session> {
  const fresh = session === null;
  const locale = event.type === "incoming" ? localeFromHint(event.incoming.localeHint, deps.defaultLocale) : deps.defaultLocale;
  const s = fresh ? newSession(locale, deps.now) : structuredClone(session);
  const w: Work = { flows, deps, s, replies: [], isStaff: event.isStaff, steps: 0 };
  let stop: Stop;
  if (event.type === "incoming") {
    const text = (event.incoming.text ?? "").trim();
    // A brand-new user gets the welcome and the main menu (after a FAQ answer if one fits), unless they sent a command.
    stop = fresh && !(event.incoming.kind === "text" && text.startsWith("/")) ? firstContact(w, event.incoming) : incoming(w, event.incoming);
    w.s.updatedAt = deps.now.toISOString();
  } else {
    stop = actionResult(w, event.result);
  }
  return { session: w.s, replies: w.replies, ...(stop.effect ? { effect: stop.effect } : {}) };
}

/** The current step's prompt again (or the main menu), e.g. after an error; the session is unchanged. */
export function promptAgain(flows: FlowSet, session: Session, deps: EngineDeps): Reply[] {
  const w: Work = { flows, deps, s: structuredClone(session), replies: [], isStaff: false, steps: 0 };
  const step = currentStep(w);
  if (step && isWaiting(step)) showPrompt(w);
  return w.replies;
}
