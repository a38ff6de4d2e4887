/**
 * `menu`: text plus choices. A choice goes to a step (`next`) or enters a flow (`flow`).
 * `store` saves the picked id in data; `dynamic` adds the choices the previous action
 * returned; `multi` toggles choices until Done; a Back choice is added unless `back: false`.
 */
import { z } from "zod";
import type { ReplyChoice } from "../engine-types.js";
import type { Msg } from "../messages.js";
import { choiceIdSchema, fieldNameSchema, flowIdSchema, stepIdSchema } from "../ids.js";
import { msgRefSchema } from "../msg-ref.js";
import { typedNumber, typedNumbers } from "../match-label.js";
import { baseStepFields, msgRefsSchema } from "./base.js";
import { defineStep, type FlowTarget } from "./define-step.js";
import { msgs, refList, type StepContext, type StepResult } from "./step-types.js";

/** Choice ids the engine adds itself; flow files may not use them. */
export const RESERVED_CHOICE_IDS: readonly string[] = ["back", "done", "skip", "yes", "no"];

/** One static choice of a menu. */
export const menuChoiceSchema = z.object({
  id: choiceIdSchema,
  label: msgRefSchema,
  next: stepIdSchema.optional(),
  flow: flowIdSchema.optional(),
  /** With `flow`: enter that flow at this step instead of its start. */
  step: stepIdSchema.optional(),
}).strict();

/** A `menu` step. */
export const menuStepSchema = z.object({
  ...baseStepFields,
  type: z.literal("menu"),
  /** One key, or a list shown as paragraphs of the one message that carries the choices. */
  text: msgRefsSchema,
  choices: z.array(menuChoiceSchema).default([]),
  /** Saves the picked choice id (an array of ids for `multi`) in `data[store]`. */
  store: fieldNameSchema.optional(),
  /** Where dynamic picks and multi's Done go. */
  next: stepIdSchema.optional(),
  dynamic: z.boolean().default(false),
  multi: z.boolean().default(false),
  /** Least number of picks before Done is accepted (multi). */
  min: z.number().int().min(0).default(1),
  /** `true` (default): back to the previous menu; a step id: back to that step; `false`: no Back. */
  back: z.union([z.boolean(), stepIdSchema]).default(true),
}).strict().superRefine((step, ctx) => {
  const need = (cond: boolean, message: string, path: PropertyKey[] = []) => { if (!cond) ctx.addIssue({ code: "custom", message, path }); };
  if (step.multi) {
    need(!step.dynamic, "a menu cannot be both multi and dynamic", ["multi"]);
    need(step.store !== undefined && step.next !== undefined, "a multi menu needs `store` and `next` (where Done goes)");
  }
  if (step.dynamic) need(step.store !== undefined && step.next !== undefined, "a dynamic menu needs `store` and `next` (where a pick goes)");
  if (!step.multi && !step.dynamic) need(step.choices.length > 0, "a menu needs at least one choice", ["choices"]);
  const seen = new Set<string>();
  step.choices.forEach((c, i) => {
    need(!RESERVED_CHOICE_IDS.includes(c.id), `choice id "${c.id}" is reserved (${RESERVED_CHOICE_IDS.join(", ")})`, ["choices", i, "id"]);
    need(!seen.has(c.id), `duplicate choice id "${c.id}"`, ["choices", i, "id"]);
    seen.add(c.id);
    if (step.multi) need(c.next === undefined && c.flow === undefined, "choices of a multi menu take no `next`/`flow` (Done goes to the menu's `next`)", ["choices", i]);
    else need((c.next === undefined) !== (c.flow === undefined), "a choice needs exactly one of `next` or `flow`", ["choices", i]);
    need(c.step === undefined || c.flow !== undefined, "`step` in a choice needs `flow`", ["choices", i, "step"]);
  });
});

/** A parsed `menu` step. */
export type MenuStep = z.infer<typeof menuStepSchema>;

function selected(step: MenuStep, ctx: StepContext): string[] {
  const value = step.store ? ctx.session.data[step.store] : undefined;
  return Array.isArray(value) ? value.map(String) : [];
}

function choicesOf(step: MenuStep, ctx: StepContext): ReplyChoice[] {
  const out: ReplyChoice[] = [];
  // The label an action gave (its key typed there); the stored session holds the key as text.
  if (step.dynamic) for (const c of ctx.session.dynamic ?? []) out.push({ id: c.id, label: c.label as Msg });
  const picked = step.multi ? selected(step, ctx) : [];
  for (const c of step.choices) {
    const label = ctx.msg(c.label);
    out.push({ id: c.id, label: picked.includes(c.id) ? { key: "common:menu.selected", params: { label: ctx.label(label) } } : label });
  }
  if (step.multi) out.push({ id: "done", label: { key: "common:menu.done" } });
  if (step.back !== false) out.push({ id: "back", label: { key: "common:back" } });
  return out;
}

function pick(step: MenuStep, ctx: StepContext, id: string): StepResult {
  if (id === "back" && step.back !== false) {
    return typeof step.back === "string" ? { kind: "go", replies: [], to: { step: step.back } } : { kind: "back" };
  }
  if (step.multi && step.store && step.next) {
    const current = selected(step, ctx);
    if (id === "done") {
      if (current.length >= step.min) return { kind: "go", replies: [], to: { step: step.next } };
      return { kind: "wait", replies: [{ text: [{ key: "common:errors.pick_at_least", params: { count: step.min } }] }], prompt: true };
    }
    const toggled = current.includes(id) ? current.filter((x) => x !== id) : [...current, id];
    // Keep the menu's order so summaries read the same way as the menu.
    const ordered = step.choices.map((c) => c.id).filter((x) => toggled.includes(x));
    return { kind: "wait", replies: [], prompt: true, patch: { data: { [step.store]: ordered } } };
  }
  const stored = step.store ? { data: { [step.store]: id } } : undefined;
  const choice = step.choices.find((c) => c.id === id);
  if (!choice) {
    // A dynamic pick (verified by the engine against the offered choices).
    return { kind: "go", replies: [], to: { step: step.next }, patch: stored };
  }
  if (choice.flow) return { kind: "go", replies: [], to: { flow: choice.flow, step: choice.step, via: "enter" }, patch: stored };
  return { kind: "go", replies: [], to: { step: choice.next }, patch: stored };
}

/** A typed number that is not one of the options: "please choose from 1 to N". */
export function outOfRange(count: number): StepResult {
  return { kind: "wait", replies: [{ text: [{ key: "common:errors.choose_range", params: { max: count } }] }], prompt: true };
}

/** Several numbers typed at a multi-select: each picked option is toggled on (Done and Back are not picked this way). */
function pickMany(step: MenuStep, ctx: StepContext, choices: ReplyChoice[], numbers: number[]): StepResult {
  const picked = numbers.map((n) => choices[n - 1]?.id);
  const ids = picked.filter((id): id is string => id !== undefined && id !== "done" && id !== "back");
  if (ids.length !== picked.length || !step.store) return outOfRange(step.choices.length);
  const current = selected(step, ctx);
  const wanted = new Set([...current, ...ids]);
  const ordered = step.choices.map((c) => c.id).filter((x) => wanted.has(x));
  return { kind: "wait", replies: [], prompt: true, patch: { data: { [step.store]: ordered } } };
}

/** Shows the choices; a press or typed words/number picks one. */
export const menuStep = defineStep({
  type: "menu",
  schema: menuStepSchema,
  waits: true,
  backPoint: true,
  prompt(step, ctx) {
    const hint: Msg[] = step.multi ? [{ key: "common:menu.multi_hint" }] : [];
    return { text: [...msgs(ctx, step.text), ...hint], choices: choicesOf(step, ctx) };
  },
  input(step, ctx, input) {
    const choices = choicesOf(step, ctx);
    if (input.kind === "text" && step.multi) {
      const many = typedNumbers(input.text);
      if (many) return pickMany(step, ctx, choices, many);
    }
    const id = input.kind === "choice" ? input.id : ctx.match(input.text, choices);
    if (id === null && input.kind === "text" && typedNumber(input.text) !== null) return outOfRange(choices.length);
    if (id === null) return input.kind === "text" ? { kind: "unmatched", text: input.text } : { kind: "wait", replies: [], prompt: true };
    return pick(step, ctx, id);
  },
  targets: (step) => [...(step.next ? [step.next] : []), ...(typeof step.back === "string" ? [step.back] : []), ...step.choices.flatMap((c) => (c.next ? [c.next] : []))],
  flows: (step) => step.choices.flatMap((c): FlowTarget[] => (c.flow ? [[c.flow, c.step]] : [])),
  texts: (step) => [...refList(step.text), ...step.choices.map((c) => c.label)],
  storedChoices: (step) => (step.store === undefined ? undefined : { field: step.store, ids: step.choices.map((c) => c.id) }),
});
