/**
 * Understanding typed text: the intents' example phrases are indexed once with MiniSearch
 * (BM25 ranking, fuzzy and prefix matching) after chat normalisation; a message is ranked
 * against every intent (content sections included) and the best one acted on when it is clear,
 * offered as "A or B?" when two are close, or left to the honest fallback. Pure once built.
 */
import MiniSearch, { type SearchResult } from "minisearch";
import type { GlobalWordKind, IntentTarget, Understanding, Understood } from "../../engine/engine-types.js";
import { LOCALES, type Locale, type Msg } from "../../engine/messages.js";
import { GLOBAL_WORDS, type Intent, type IntentsFile } from "./intents-schema.js";
import { createChatNormalizer, foldText } from "./normalize-chat.js";
import { dataKey } from "../../engine/msg-ref.js";

/** Tuning of the decision; the defaults are what the phrase test measures. */
export interface MatchTuning {
  /** Share of the message's words (and of the example's) a match must cover to be acted on. */
  minCoverage: number;
  /** A runner-up scoring at least this share of the best makes the answer "A or B?". */
  closeRatio: number;
}

const DEFAULT_TUNING: MatchTuning = { minCoverage: 0.5, closeRatio: 0.85 };

/** What the matcher needs besides the file: a section's messages and the contact lines. */
export interface UnderstandingDeps {
  file: IntentsFile;
  sectionMessages(sectionId: string): Msg[];
  contact: Msg[];
  tuning?: Partial<MatchTuning>;
}

interface ExampleDoc {
  id: number;
  intent: string;
  locale: Locale;
  text: string;
  words: number;
}

/** Words of a normalised message plus its adjacent pairs ("ho_tro"), so Vietnamese compounds weigh more. */
function terms(words: readonly string[]): string[] {
  const pairs = words.slice(1).map((w, i) => `${words[i]}_${w}`);
  return [...words, ...pairs];
}

function targetOf(intent: Intent, sectionMessages: (id: string) => Msg[]): IntentTarget {
  if (intent.flow !== undefined) return { kind: "flow", flow: intent.flow, ...(intent.step ? { step: intent.step } : {}) };
  if (intent.section !== undefined) return { kind: "say", messages: sectionMessages(intent.section) };
  if (intent.reply !== undefined) return { kind: "say", messages: [{ key: dataKey(intent.reply) }] };
  if (intent.global !== undefined) return { kind: "global", word: intent.global };
  return { kind: "honest" };
}

/** Builds the understanding from `flows/intents.yaml` (index built here, once). */
export function createUnderstanding(deps: UnderstandingDeps): Understanding {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const normalize = createChatNormalizer(deps.file);
  const stop = new Set(deps.file.stopwords.map(foldText));
  const content = (text: string) => normalize(text).filter((w) => !stop.has(w));

  const intents = new Map(deps.file.intents.map((i) => [i.id, { label: { key: dataKey(i.label) } satisfies Msg, target: targetOf(i, deps.sectionMessages) }]));
  const docs: ExampleDoc[] = [];
  for (const intent of deps.file.intents) {
    for (const locale of LOCALES) {
      for (const example of intent.examples[locale]) {
        const words = content(example);
        if (words.length > 0) docs.push({ id: docs.length, intent: intent.id, locale, text: terms(words).join(" "), words: words.length });
      }
    }
  }
  const index = new MiniSearch<ExampleDoc>({
    fields: ["text"],
    storeFields: ["intent", "locale", "words"],
    tokenize: (text) => text.split(" ").filter(Boolean),
    processTerm: (term) => term,
    searchOptions: {
      // Short Vietnamese syllables differ by one letter from other words: only longer words are fuzzy or prefixes.
      fuzzy: (term) => (term.includes("_") ? false : term.length >= 8 ? 2 : term.length >= 5 ? 1 : false),
      prefix: (term) => !term.includes("_") && term.length >= 4,
      weights: { fuzzy: 0.6, prefix: 0.5 },
      combineWith: "OR",
    },
  });
  index.addAll(docs);

  const globals = new Map<string, GlobalWordKind>();
  for (const word of GLOBAL_WORDS) {
    const phrases = deps.file.globals[word];
    for (const p of [...phrases.vi, ...phrases.en]) globals.set(normalize(p).join(" "), word);
  }

  const answers = new Map<string, "yes" | "no">();
  for (const a of ["yes", "no"] as const) for (const l of LOCALES) for (const p of deps.file.answers[a][l]) answers.set(foldText(p), a);

  const vocab: Record<Locale, Set<string>> = { vi: new Set(), en: new Set() };
  for (const intent of deps.file.intents) for (const l of LOCALES) for (const e of intent.examples[l]) for (const w of foldText(e).split(" ")) vocab[l].add(w);
  for (const phrases of Object.values(deps.file.globals)) for (const l of LOCALES) for (const p of phrases[l]) for (const w of foldText(p).split(" ")) vocab[l].add(w);

  /** How much of the message and of the matched example a result covers (single words only). */
  function coverage(result: SearchResult, queryWords: number): number {
    const matched = new Set(result.queryTerms.filter((t) => !t.includes("_"))).size;
    const docWords = new Set(result.terms.filter((t) => !t.includes("_"))).size;
    return Math.min(matched / Math.max(queryWords, 1), docWords / Math.max(Number(result.words), 1));
  }

  function understand(text: string): Understood {
    const words = content(text);
    if (words.length === 0) return { kind: "none" };
    const results = index.search(terms(words).join(" "));
    // Per intent, its best-scoring example among those that cover enough of the message.
    const queryWords = new Set(words).size;
    const best: { intent: string; score: number }[] = [];
    for (const r of results) {
      if (coverage(r, queryWords) < tuning.minCoverage || best.some((b) => b.intent === r.intent)) continue;
      best.push({ intent: String(r.intent), score: r.score });
      if (best.length >= 2) break;
    }
    const [first, second] = best;
    if (!first) return { kind: "none" };
    const top = intents.get(first.intent)!;
    if (second && second.score >= first.score * tuning.closeRatio) {
      return { kind: "choose", options: [first, second].map((b) => ({ intent: b.intent, label: intents.get(b.intent)!.label })) };
    }
    return { kind: "intent", intent: first.intent, target: top.target };
  }

  return {
    understand: (text) => understand(text),
    globalWord: (text) => globals.get(normalize(text).join(" ")) ?? null,
    intent: (id) => intents.get(id),
    // Accents matter for nothing here ("co" is "có"); politeness around the word is dropped ("dạ có ạ").
    yesNo: (text) => answers.get(foldText(text)) ?? answers.get(normalize(text).join(" ")) ?? null,
    detectLocale(text) {
      // Vietnamese letters with marks (or đ) settle it at once.
      if (/[\u0300-\u036f]|đ/iu.test(text.normalize("NFD"))) return "vi";
      const words = foldText(text).split(" ").filter(Boolean);
      const en = words.filter((w) => vocab.en.has(w) && !vocab.vi.has(w)).length;
      const vi = words.filter((w) => vocab.vi.has(w) && !vocab.en.has(w)).length;
      if (en >= 2 && en > vi * 2) return "en";
      if (vi >= 1 && vi > en) return "vi";
      return null;
    },
    contact: deps.contact,
  };
}
