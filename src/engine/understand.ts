/**
 * What the engine does with understood free text: the words that work at every question
 * (cancel, back, menu, help, a person), the intents the matcher finds outside a form, the
 * "A or B?" question and the honest fallback. Pure: the matcher is injected (`deps.understanding`).
 */
import type { GlobalWordKind, IntentTarget, ReplyChoice, Understanding } from "./engine-types.js";
import { isFreeText, isWaiting, dispatchPrompt } from "./dispatch.js";
import { HANDOFF_FLOW, MAIN_FLOW } from "./ids.js";
import type { I18nKey, Incoming, Msg } from "./messages.js";
import { claimsWords, matchLabel, normalizeText, typedNumber } from "./match-label.js";
import { backOneQuestion, clearFlow, ctxOf, currentStep, enterFlow, isInFormWithData, mainShortcuts, say, toMain, type Stop, type Work } from "./work.js";

/** Choice ids of an offered intent: `intent.<id>` (not a step tag, so never confused with a step's buttons). */
export const INTENT_TAG = "intent";

/** The one-line hint after an answer, instead of the whole menu. */
const HINT = "common:understand.hint";

/** Keys this module shows (checked by flows:check in every locale). */
export const UNDERSTAND_KEYS: readonly I18nKey[] = [
  HINT, "common:understand.offer_prompt", "common:understand.choose", "common:understand.fallback", "common:understand.not_covered", "common:understand.offer_person",
  "common:understand.no_person", "common:understand.lang_detected", "common:nav.first_question", "common:errors.choose_range",
];

/** The global word the whole message is, unless the current step's own options claim those words. */
export function globalWordAt(w: Work, text: string): GlobalWordKind | null {
  const word = w.deps.understanding?.globalWord(text) ?? null;
  if (word === null) return null;
  const step = currentStep(w);
  // At a text question the word always wins: "quay lại" is never an enterprise name.
  if (step && isWaiting(step) && !isFreeText(step)) {
    const ctx = ctxOf(w);
    const choices = (dispatchPrompt(step, ctx).choices ?? []).filter((c) => c.id !== "back");
    // An option of this step with these words ("Dừng lại" for "dừng") wins over the global word.
    if (choices.some((c) => claimsWords(ctx.label(c.label), text))) return null;
  }
  return word;
}

/** Carries out a global word. `command` runs the matching built-in command (/cancel, /menu, /help). */
export function applyGlobalWord(w: Work, word: GlobalWordKind, command: (text: string) => Stop, question?: string): Stop {
  w.understood ??= { outcome: "understood", intent: `word:${word}` };
  switch (word) {
    case "cancel": return command("/cancel");
    case "menu": return command("/menu");
    case "help": return command("/help");
    case "back": return w.s.flow !== null && w.s.flow !== MAIN_FLOW ? backOneQuestion(w) : toMain(w);
    case "human": return toPerson(w, question);
  }
}

/** A person: the hand-off flow when there is one (it keeps the question), else the contacts. */
function toPerson(w: Work, question?: string): Stop {
  if (isInFormWithData(w)) say(w, "common:cancel.form_dropped");
  if (w.flows.flows.has(HANDOFF_FLOW)) return enterFlow(w, HANDOFF_FLOW, undefined, question ? { question } : {});
  w.replies.push({ text: [{ key: "common:understand.no_person" }, ...(w.deps.understanding?.contact ?? [])] });
  clearFlow(w);
  return {};
}

/**
 * Messages, then the one-line hint carrying the main menu as shortcuts (buttons where there are
 * buttons, nothing more elsewhere); the user is left idle (a typed "menu" shows the menu).
 */
function answerWith(w: Work, messages: Msg[]): Stop {
  for (const m of messages) w.replies.push({ text: [m] });
  const shortcuts = mainShortcuts(w);
  w.replies.push({ text: [{ key: HINT }], ...(shortcuts.length > 0 ? { shortcuts } : {}) });
  clearFlow(w);
  w.s.history = [];
  return {};
}

/** Goes where an intent leads; `question` is what the person asked before (kept for a person). */
export function follow(w: Work, target: IntentTarget, command: (text: string) => Stop, question?: string): Stop {
  switch (target.kind) {
    // flows:check verifies targets; a flow missing anyway (a test set, a partial deploy) is not understood.
    case "flow": return w.flows.flows.has(target.flow) ? enterFlow(w, target.flow, target.step) : honest(w, "common:understand.fallback", question ?? "");
    case "say": return answerWith(w, target.messages);
    case "global": return applyGlobalWord(w, target.word, command, question);
    case "honest": return honest(w, "common:understand.not_covered", question ?? "");
  }
}

/** "The plan summary does not say": the contacts and an offer of a person (a numbered choice). */
function honest(w: Work, key: I18nKey, question: string): Stop {
  const u = w.deps.understanding;
  w.replies.push({ text: [{ key }, ...(u?.contact ?? [])] });
  const offer: ReplyChoice = { id: `${INTENT_TAG}.human`, label: { key: "common:understand.offer_person" } };
  w.replies.push({ text: [{ key: "common:understand.offer_prompt" }], choices: [offer] });
  clearFlow(w);
  w.s.history = [];
  w.s.pending = { options: ["human"], question: question.slice(0, 500) };
  return {};
}

/** Free text outside a form, understood: act, ask "A or B?", or the honest fallback. */
export function understandText(w: Work, u: Understanding, text: string, command: (text: string) => Stop): Stop {
  // A bare number with no list on screen: show the list it was meant for.
  if (w.s.flow === null && typedNumber(text) !== null) return toMain(w);
  const got = u.understand(text, w.s.locale);
  w.understood = got.kind === "intent" ? { outcome: "understood", intent: got.intent } : got.kind === "choose" ? { outcome: "asked", intent: got.options[0]?.intent ?? null } : { outcome: "fallback", intent: null, text };
  // "talk to a person" is not itself the question to pass on; a question the plan does not cover is.
  if (got.kind === "intent") return follow(w, got.target, command, got.target.kind === "honest" ? text : undefined);
  if (got.kind === "choose") {
    const [a, b] = got.options;
    const label = (m: Msg | undefined) => (m ? w.deps.label(m, w.s.locale) : "");
    w.replies.push({
      text: [{ key: "common:understand.choose", params: { a: label(a?.label), b: label(b?.label) } }],
      choices: got.options.map((o) => ({ id: `${INTENT_TAG}.${o.intent}`, label: o.label })),
    });
    clearFlow(w);
    w.s.history = [];
    w.s.pending = { options: got.options.map((o) => o.intent), question: text.slice(0, 500) };
    return {};
  }
  return honest(w, "common:understand.fallback", text);
}

/**
 * The answer to an offered "A or B?" (a press, the number or the words), followed; null when the
 * message is something else (the offer is then forgotten and the message read as usual).
 */
export function answerPending(w: Work, inc: Incoming, command: (text: string) => Stop): Stop | null {
  const pending = w.s.pending;
  delete w.s.pending;
  const u = w.deps.understanding;
  if (!pending || !u || w.s.flow !== null) return null;
  const options = pending.options.map((id) => ({ id, label: u.intent(id)?.label })).filter((o): o is { id: string; label: Msg } => o.label !== undefined);
  let picked: string | null = null;
  if (inc.kind === "choice") {
    const id = (inc.choiceId ?? "").startsWith(`${INTENT_TAG}.`) ? inc.choiceId!.slice(INTENT_TAG.length + 1) : "";
    picked = options.some((o) => o.id === id) ? id : null;
  } else {
    const text = inc.text ?? "";
    picked = matchLabel(text, options.map((o) => ({ id: o.id, label: w.deps.label(o.label, w.s.locale) })));
    // A lone offer (a person) is also accepted by "yes".
    if (picked === null && options.length === 1 && ["co", "yes", "ok", "dong y", "vang", "u"].includes(normalizeText(text))) picked = options[0]!.id;
  }
  const target = picked === null ? undefined : u.intent(picked)?.target;
  if (!target) return null;
  return follow(w, target, command, pending.question ?? "");
}
