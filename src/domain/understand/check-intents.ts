/**
 * Checks `flows/intents.yaml` against the flows and locales: every target exists, every label
 * and reply key is in both locales, no example is shared by two intents (or repeated), and no
 * global word is written twice. Also lists the step options a global word collides with
 * (the step wins for that word, which is usually intended but should be known). Pure.
 */
import type { FlowSet } from "../../engine/flow-schema.js";
import { LOCALES, type Locale } from "../../engine/messages.js";
import { claimsWords } from "../../engine/match-label.js";
import { refKey } from "../../engine/msg-ref.js";
import { GLOBAL_WORDS, type IntentsFile } from "./intents-schema.js";
import { createChatNormalizer } from "./normalize-chat.js";

/** What the check compares against. */
export interface IntentCheckOptions {
  flows: FlowSet;
  hasKey(key: string, locale: Locale): boolean;
  /** Content section ids (`policies:sections.<id>`). */
  sectionIds: readonly string[];
  /** A label key rendered as text, for the collision report. */
  render(key: string, locale: Locale): string;
}

/** Problems (fail the check) and collisions (reported, not failing). */
export interface IntentCheckResult {
  problems: string[];
  collisions: string[];
}

const WHERE = "flows/intents.yaml";

/** Checks the intents file; returns every problem and every collision at once. */
export function checkIntents(file: IntentsFile, opts: IntentCheckOptions): IntentCheckResult {
  const problems: string[] = [];
  const collisions: string[] = [];
  const norm = createChatNormalizer(file);
  const key = (k: string, what: string) => {
    for (const l of LOCALES) if (!opts.hasKey(k, l)) problems.push(`${WHERE} [${what}]: i18n key "${k}" missing in ${l}`);
  };
  const seenIntent = new Set<string>();
  const examples = new Map<string, string>();
  for (const intent of file.intents) {
    const at = `intent ${intent.id}`;
    if (seenIntent.has(intent.id)) problems.push(`${WHERE} [${at}]: duplicate intent id`);
    seenIntent.add(intent.id);
    key(intent.label, at);
    if (intent.reply) key(intent.reply, at);
    if (intent.flow !== undefined) {
      const flow = opts.flows.flows.get(intent.flow);
      if (!flow) problems.push(`${WHERE} [${at}]: unknown flow "${intent.flow}"`);
      else if (flow.staff) problems.push(`${WHERE} [${at}]: flow "${intent.flow}" is staff-only`);
      else if (intent.step !== undefined && !opts.flows.steps.get(intent.flow)?.has(intent.step)) problems.push(`${WHERE} [${at}]: unknown step "${intent.step}" in flow "${intent.flow}"`);
    }
    if (intent.section !== undefined && !opts.sectionIds.includes(intent.section)) problems.push(`${WHERE} [${at}]: unknown content section "${intent.section}"`);
    for (const l of LOCALES) {
      for (const example of intent.examples[l]) {
        const n = norm(example).join(" ");
        if (n === "") problems.push(`${WHERE} [${at}]: example "${example}" has no words`);
        const other = examples.get(n);
        if (other !== undefined) problems.push(`${WHERE} [${at}]: example "${example}" is also an example of ${other === intent.id ? "this intent" : `intent ${other}`}`);
        else examples.set(n, intent.id);
      }
    }
  }
  const words = new Map<string, string>();
  const typed: [string, string][] = [];
  for (const g of GLOBAL_WORDS) {
    for (const l of LOCALES) {
      for (const phrase of file.globals[g][l]) {
        const n = norm(phrase).join(" ");
        const other = words.get(n);
        if (other !== undefined) problems.push(`${WHERE} [globals.${g}]: "${phrase}" is also a ${other} word`);
        else words.set(n, g);
        typed.push([phrase, g]);
      }
    }
  }
  // Options whose own words are a global word: at that step the option wins.
  for (const [flowId, steps] of opts.flows.steps) {
    for (const step of steps.values()) {
      if (step.type !== "menu") continue;
      for (const l of LOCALES) {
        for (const c of step.choices) {
          const label = opts.render(refKey(c.label), l);
          // The same rule the engine applies at run time (src/engine/understand.ts globalWordAt).
          for (const [word, g] of typed) if (claimsWords(label, word)) collisions.push(`flows [flow ${flowId}, step ${step.id}]: option "${c.id}" (${l}) takes the ${g} word "${word}" there`);
        }
      }
    }
  }
  return { problems, collisions };
}
