/**
 * Normalisation of what people type before matching: NFC, lower case, Vietnamese diacritics
 * removed (đ → d), punctuation and emoji dropped, chat abbreviations expanded and politeness
 * fillers removed. The abbreviation and filler tables are data (`flows/intents.yaml`).
 */
import { normalizeText, stem } from "../faq/normalize.js";

/** The data tables normalisation uses. */
export interface ChatTables {
  /** typed word (accents removed) → what it stands for */
  abbreviations: Readonly<Record<string, string>>;
  /** filler phrases (accents removed), dropped wherever they appear as whole words */
  fillers: readonly string[];
}

/** Lower case, no diacritics, only `[a-z0-9]` words separated by single spaces (the FAQ matcher's normalisation). */
export const foldText = normalizeText;

/** A normaliser built once from the tables (fillers longest first, so "cho em hoi" goes before "hoi"). */
export function createChatNormalizer(tables: ChatTables): (text: string) => string[] {
  const abbreviations = new Map(Object.entries(tables.abbreviations).map(([k, v]) => [foldText(k), foldText(v)]));
  const fillers = tables.fillers.map((f) => foldText(f).split(" ").filter(Boolean)).filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
  return (text) => {
    const folded = foldText(text);
    if (folded === "") return [];
    const words = folded.split(" ").flatMap((w) => (abbreviations.get(w) ?? stem(w)).split(" "));
    const out: string[] = [];
    for (let i = 0; i < words.length; ) {
      const filler = fillers.find((f) => f.every((w, j) => words[i + j] === w));
      if (filler) {
        i += filler.length;
        continue;
      }
      out.push(words[i]!);
      i += 1;
    }
    // A message that is only politeness ("ạ") keeps its words, so it can still be small talk.
    return out.length > 0 ? out : words;
  };
}

