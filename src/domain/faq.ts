/**
 * The free-text FAQ: scores what a user typed against keyword phrases per content section
 * (both languages, diacritics-insensitive) and answers with the best section's messages.
 * Keywords are data (`faq.keywords.<section>` in `locales/<lang>/policies.json`), not code.
 */
import { z } from "zod";
import { LOCALES, type Locale, type Msg } from "../engine/messages.js";
import { tokenize } from "./faq/normalize.js";
import { dataKey } from "../engine/msg-ref.js";

const msgSchema = z.object({
  key: z.string().min(1).transform(dataKey),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.date()])).optional(),
});

/** One answerable section: its keyword phrases per language and the messages that answer it. */
export const faqEntrySchema = z.object({
  id: z.string().min(1),
  keywords: z.partialRecord(z.enum(LOCALES), z.array(z.string())),
  messages: z.array(msgSchema).min(1),
});
/** One FAQ entry. */
export type FaqEntry = z.infer<typeof faqEntrySchema>;

/** Answers free text with the best section's messages, or `null` when nothing matches well enough. */
export type FaqMatcher = (text: string, locale: Locale) => Msg[] | null;

/** Tuning for `createFaq`. */
export interface FaqOptions {
  /** Minimum number of typed words a match must cover (default 1: keyword lists hold no filler words). */
  minCoveredTokens?: number;
}

interface Phrase {
  tokens: string[];
  locale: Locale;
}

interface Score {
  covered: number;
  longest: number;
  ownLocale: number;
}

/** Builds a pure matcher over the entries; phrases are tokenised once, here. */
export function createFaq(entries: readonly FaqEntry[], options: FaqOptions = {}): FaqMatcher {
  const minCovered = options.minCoveredTokens ?? 1;
  const compiled = entries.map((entry) => ({ entry, phrases: compilePhrases(entry) }));

  return (text, locale) => {
    const tokens = tokenize(text);
    if (tokens.length === 0) return null;
    let best: { entry: FaqEntry; score: Score } | null = null;
    for (const { entry, phrases } of compiled) {
      const score = scoreEntry(tokens, phrases, locale);
      if (best === null || better(score, best.score)) best = { entry, score };
    }
    if (best === null || best.score.covered < minCovered) return null;
    return best.entry.messages.map((m) => ({ ...m }));
  };
}

function compilePhrases(entry: FaqEntry): Phrase[] {
  const phrases: Phrase[] = [];
  for (const locale of LOCALES) {
    for (const keyword of entry.keywords[locale] ?? []) {
      const tokens = tokenize(keyword);
      if (tokens.length > 0) phrases.push({ tokens, locale });
    }
  }
  return phrases;
}

// Score = how many typed words the section's phrases cover, so overlapping phrases
// ("hỗ trợ" inside "được hỗ trợ") do not count twice and longer phrases win naturally.
function scoreEntry(tokens: string[], phrases: Phrase[], locale: Locale): Score {
  const covered = new Set<number>();
  let longest = 0;
  let ownLocale = 0;
  for (const phrase of phrases) {
    const n = phrase.tokens.length;
    for (let start = 0; start + n <= tokens.length; start++) {
      if (!phrase.tokens.every((t, i) => tokens[start + i] === t)) continue;
      for (let i = start; i < start + n; i++) covered.add(i);
      longest = Math.max(longest, n);
      if (phrase.locale === locale) ownLocale++;
    }
  }
  return { covered: covered.size, longest, ownLocale };
}

// Ties go to the longer single phrase, then to phrases in the user's language, then to the earlier entry.
function better(a: Score, b: Score): boolean {
  if (a.covered !== b.covered) return a.covered > b.covered;
  if (a.longest !== b.longest) return a.longest > b.longest;
  return a.ownLocale > b.ownLocale;
}
