/**
 * The engine's working state for one event and the moves between steps: show a prompt, go
 * to a step or flow, Back, the main menu. Pure: it only changes its private copy of the session.
 */
import { dispatchPrompt, dispatchRun, isBackPoint, isWaiting, type WaitingStep } from "./dispatch.js";
import { FlowError } from "./flow-error.js";
import type { EngineDeps, Reply, ReplyChoice, UnderstoodNote } from "./engine-types.js";
import type { FlowSet, Step } from "./flow-schema.js";
import { MAIN_FLOW } from "./ids.js";
import { matchLabel as defaultMatch } from "./match-label.js";
import type { I18nKey, Msg } from "./messages.js";
import { resolveMsg } from "./msg-ref.js";
import { MAX_HISTORY, type Session } from "./session.js";
import { MAX_FAILURES } from "./steps/ask.js";
import type { SessionPatch, StepContext, StepResult, Target } from "./steps/step-types.js";

/** A closing text longer than this stays its own bubble before the main menu. */
const MAX_LEAD_PARAGRAPHS = 2;

/** A reply that is text only (no buttons, no file), so it can lead another bubble. */
const isPlain = (r: Reply): boolean => !r.choices && !r.document;

/** Steps run in one advance before the engine assumes a loop in the flows. */
const MAX_STEPS = 100;

/** Tags computed so far, by `flow/step`. */
const tags = new Map<string, string>();

/** A short, stable tag for a step; issued choice ids are `<tag>.<id>` so old buttons are recognised as stale. */
export function choiceTag(flowId: string, stepId: string): string {
  const name = `${flowId}/${stepId}`;
  let tag = tags.get(name);
  if (tag === undefined) {
    let h = 0x811c9dc5;
    for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    tag = h.toString(36).padStart(7, "0").slice(-6);
    // Steps are few and fixed by the flows: the cache stays small (asked on every prompt and press).
    if (tags.size < 10_000) tags.set(name, tag);
  }
  return tag;
}

/** The per-advance working state (a private copy of the session). */
export interface Work {
  flows: FlowSet;
  deps: EngineDeps;
  s: Session;
  replies: Reply[];
  isStaff: boolean;
  steps: number;
  /** Free text outside a form, when an understanding is configured (set by the engine). */
  understand?: (text: string) => Stop;
  /** What free text was read as in this event (learning loop). */
  understood?: UnderstoodNote;
}

/** Where a move ended: waiting for the user, or with an action for the runner. */
export type Stop = { effect?: { action: string } };

/** The context step handlers get. */
export function ctxOf(w: Work): StepContext {
  const locale = w.s.locale;
  const label = (m: Msg) => w.deps.label(m, locale);
  const match = w.deps.matchLabel ?? defaultMatch;
  return {
    session: w.s,
    deps: w.deps,
    locale,
    msg: (ref) => resolveMsg(ref, w.s, locale, w.deps.label),
    label,
    match: (text, choices, opts) => match(text, choices.map((c) => ({ id: c.id, label: label(c.label) })), opts),
  };
}

/** Adds one bubble made of the given keys or messages. */
export const say = (w: Work, ...keys: (I18nKey | Msg)[]) => {
  w.replies.push({ text: keys.map((k) => (typeof k === "string" ? { key: k } : k)) });
};

/** Merges a handler's patch into the session (null clears a field). */
export function applyPatch(w: Work, patch: SessionPatch | undefined): void {
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

/** The step the session points at, or null (idle, or a step that no longer exists). */
export function currentStep(w: Work): Step | null {
  if (w.s.flow === null || w.s.step === null) return null;
  return w.flows.steps.get(w.s.flow)?.get(w.s.step) ?? null;
}

/** True when leaving now would drop answers of a form. */
export function isInFormWithData(w: Work): boolean {
  return w.s.flow !== null && (w.flows.flows.get(w.s.flow)?.form ?? false) && Object.keys(w.s.data).length > 0;
}

/** Leaves the current flow, dropping its data. */
export function clearFlow(w: Work): void {
  w.s.flow = null;
  w.s.step = null;
  w.s.data = {};
  w.s.failures = 0;
  delete w.s.dynamic;
  delete w.s.trail;
}

/** Shows the prompt of the waiting step the session is at (tagged choices, history for Back). */
export function showPrompt(w: Work): Stop {
  const step = currentStep(w);
  if (!step || !isWaiting(step) || w.s.flow === null) return toMain(w);
  const reply = dispatchPrompt(step, ctxOf(w));
  const tag = choiceTag(w.s.flow, step.id);
  if (reply.choices) reply.choices = reply.choices.map((c) => ({ id: `${tag}.${c.id}`, label: c.label }));
  w.replies.push(reply);
  remember(w, step.id);
  if (isBackPoint(step)) {
    const top = w.s.history[w.s.history.length - 1];
    if (!top || top.flow !== w.s.flow || top.step !== step.id) w.s.history = [...w.s.history, { flow: w.s.flow, step: step.id }].slice(-MAX_HISTORY);
  }
  return {};
}

/** How many questions of one flow "back" remembers. */
const MAX_TRAIL = 30;

/** Adds a question to the trail; coming back to one already there (an edit loop) cuts the trail there. */
function remember(w: Work, stepId: string): void {
  const trail = w.s.trail ?? [];
  const at = trail.indexOf(stepId);
  w.s.trail = at >= 0 ? trail.slice(0, at + 1) : [...trail, stepId].slice(-MAX_TRAIL);
}

/** The question before the current one in this flow, or null at the first question. */
export function previousQuestion(w: Work): string | null {
  const trail = w.s.trail ?? [];
  const at = w.s.step === null ? -1 : trail.lastIndexOf(w.s.step);
  const before = at >= 0 ? trail.slice(0, at) : trail;
  for (let i = before.length - 1; i >= 0; i--) if (w.s.flow !== null && w.flows.steps.get(w.s.flow)?.has(before[i]!)) return before[i]!;
  return null;
}

/** Back to the previous question, keeping every answer; at a form's first question it stays (nothing dropped). */
export function backOneQuestion(w: Work): Stop {
  const prev = previousQuestion(w);
  if (prev !== null && w.s.flow !== null) {
    const trail = w.s.trail ?? [];
    w.s.trail = trail.slice(0, trail.lastIndexOf(prev));
    w.s.failures = 0;
    return run(w, w.s.flow, prev);
  }
  if (w.s.flow !== null && w.flows.flows.get(w.s.flow)?.form) return reask(w, "common:nav.first_question");
  return back(w);
}

/**
 * Runs `next` and puts `lead` (e.g. why an answer was refused) as the first paragraphs of the
 * first bubble it adds: one message instead of two, so one send per update fewer.
 */
export function leading(w: Work, lead: Msg[], next: () => Stop): Stop {
  if (lead.length === 0) return next();
  const at = w.replies.length;
  const stop = next();
  const first = w.replies[at];
  if (first && !first.document) first.text = [...lead, ...first.text];
  else w.replies.splice(at, 0, { text: lead });
  return stop;
}

/** The current step's question again, led by the reason it is asked again. */
export const reask = (w: Work, ...reasons: (I18nKey | Msg)[]): Stop =>
  leading(w, reasons.map((k) => (typeof k === "string" ? { key: k } : k)), () => showPrompt(w));

/** The main menu's step, or null when the main flow has none waiting at its start. */
function mainMenuStep(w: Work): WaitingStep | null {
  const main = w.flows.flows.get(MAIN_FLOW);
  const step = main ? w.flows.steps.get(MAIN_FLOW)?.get(main.start) : undefined;
  return step && isWaiting(step) ? step : null;
}

/** The main menu's choices with the ids of its own buttons, offered as shortcuts while the user is idle. */
export function mainShortcuts(w: Work): ReplyChoice[] {
  const step = mainMenuStep(w);
  if (!step) return [];
  const tag = choiceTag(MAIN_FLOW, step.id);
  return (dispatchPrompt(step, ctxOf(w)).choices ?? []).filter((c) => c.id !== "back").map((c) => ({ id: `${tag}.${c.id}`, label: c.label }));
}

/**
 * An idle session and a press of a main-menu button (a shortcut after a hint, or an older menu):
 * puts the session at the main menu so the press is read there, as if the menu were on screen.
 */
export function atMainForPress(w: Work, choiceId: string): boolean {
  const step = mainMenuStep(w);
  if (w.s.flow !== null || !step || !choiceId.startsWith(`${choiceTag(MAIN_FLOW, step.id)}.`)) return false;
  w.s.flow = MAIN_FLOW;
  w.s.step = step.id;
  return true;
}

/** Drops the current flow and shows the main menu. */
export function toMain(w: Work): Stop {
  clearFlow(w);
  w.s.history = [];
  const main = w.flows.flows.get(MAIN_FLOW);
  if (!main) throw new FlowError("the main flow is missing", { flow: MAIN_FLOW });
  return run(w, MAIN_FLOW, main.start);
}

/** A non-staff user reaching a staff flow: a neutral refusal and the main menu. */
function refuse(w: Work): Stop {
  say(w, "common:errors.not_allowed");
  return toMain(w);
}

/** Enters a flow from outside (menu choice, command): checks staff, drops the previous flow's data. */
export function enterFlow(w: Work, flowId: string, stepId: string | undefined, data: Record<string, unknown> = {}): Stop {
  const flow = w.flows.flows.get(flowId);
  if (!flow) throw new FlowError("unknown flow", { flow: flowId });
  if (flow.staff && !w.isStaff) return refuse(w);
  clearFlow(w);
  // A form's data is gone once we leave it, so Back must not lead into the middle of it.
  w.s.history = w.s.history.filter((h) => !w.flows.flows.get(h.flow)?.form);
  w.s.data = data;
  return run(w, flowId, stepId ?? flow.start);
}

/** Moves to a target step or flow. */
export function goTo(w: Work, to: Target): Stop {
  if (to.flow === undefined || (to.flow === w.s.flow && to.via !== "enter")) {
    if (w.s.flow === null || to.step === undefined) throw new FlowError("a step target needs a current flow");
    w.s.failures = 0;
    return run(w, w.s.flow, to.step);
  }
  if (to.via === "enter") return enterFlow(w, to.flow, to.step);
  const flow = w.flows.flows.get(to.flow);
  if (!flow) throw new FlowError("unknown flow", { flow: to.flow });
  if (flow.staff && !w.isStaff) return refuse(w);
  w.s.failures = 0;
  return run(w, to.flow, to.step ?? flow.start);
}

/** The Back choice: in a form the previous question; else the previous menu, else the main menu. */
export function back(w: Work): Stop {
  if (w.s.flow !== null && w.flows.flows.get(w.s.flow)?.form && isInFormWithData(w)) return backOneQuestion(w);
  const history = [...w.s.history];
  const top = history[history.length - 1];
  if (top && top.flow === w.s.flow && top.step === w.s.step) history.pop();
  // Menus removed from the flows since they were visited are skipped.
  while (history.length > 0 && !w.flows.steps.get(history[history.length - 1]!.flow)?.has(history[history.length - 1]!.step)) history.pop();
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

/** Free text nothing matched: in a form ask again; else a FAQ answer, or the fallback and the main menu. */
export function unmatched(w: Work, text: string): Stop {
  const flow = w.s.flow === null ? undefined : w.flows.flows.get(w.s.flow);
  if (flow?.form) {
    w.s.failures += 1;
    return reask(w, "common:errors.choose_option", ...(w.s.failures >= MAX_FAILURES ? ["common:errors.too_many_failures" as const] : []));
  }
  if (w.understand) return w.understand(text);
  const answer = w.deps.answerFreeText?.(text, w.s.locale);
  if (answer && answer.length > 0) {
    for (const m of answer) w.replies.push({ text: [m] });
    return showPrompt(w);
  }
  say(w, "common:fallback");
  return toMain(w);
}

/** Carries out a handler's decision. */
export function apply(w: Work, result: StepResult): Stop {
  switch (result.kind) {
    case "go":
      applyPatch(w, result.patch);
      w.replies.push(...result.replies);
      return goTo(w, result.to);
    case "wait":
      applyPatch(w, result.patch);
      // Plain-text replies before the question again (a validator's reason) join its bubble.
      if (result.prompt && result.replies.every(isPlain)) return reask(w, ...result.replies.flatMap((r) => r.text));
      w.replies.push(...result.replies);
      return result.prompt ? showPrompt(w) : {};
    case "back":
      return back(w);
    case "end": {
      // A short closing line (one bubble, at most two paragraphs) leads the main menu's bubble.
      const [only] = result.replies;
      if (result.to === "menu" && result.replies.length === 1 && only && isPlain(only) && only.text.length <= MAX_LEAD_PARAGRAPHS) return leading(w, only.text, () => toMain(w));
      w.replies.push(...result.replies);
      if (result.to === "menu") return toMain(w);
      clearFlow(w);
      w.s.history = [];
      return {};
    }
    case "effect":
      return { effect: { action: result.action } };
    case "unmatched":
      return unmatched(w, result.text);
  }
}

/** Runs steps from (flow, step) until one waits for the user or needs an action. */
export function run(w: Work, flowId: string, stepId: string): Stop {
  w.steps += 1;
  if (w.steps > MAX_STEPS) throw new FlowError(`flow loop: more than ${MAX_STEPS} steps in one update`, { flow: flowId, step: stepId });
  const step = w.flows.steps.get(flowId)?.get(stepId);
  if (!step) throw new FlowError("unknown step", { flow: flowId, step: stepId });
  w.s.flow = flowId;
  w.s.step = stepId;
  if (isWaiting(step)) return showPrompt(w);
  return apply(w, dispatchRun(step, ctxOf(w)));
}
