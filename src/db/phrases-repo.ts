/** Unrecognised phrases (scrubbed) with counts, for `npm run admin -- phrases unrecognised`. */
import { foldText } from "../domain/understand/normalize-chat.js";
import { scrubPhrase } from "../domain/understand/scrub.js";
import type { Database } from "./database.js";

const MAX_TIME_MS = 5_000;

/** The phrases repository. */
export function createPhrasesRepo(db: Database) {
  const phrases = db.models.phrase;
  return {
    /** Counts one unrecognised phrase (scrubbed here, before anything is stored). */
    async record(text: string, at: Date): Promise<void> {
      const clean = scrubPhrase(text);
      const id = foldText(clean).slice(0, 200);
      if (id === "") return;
      // One atomic upsert per phrase: a counter, not a claim, so $inc is the right tool.
      await phrases.updateOne({ _id: id }, { $inc: { count: 1 }, $set: { text: clean, lastAt: at } }, { upsert: true });
    },
    /** Phrases seen since `since`, most frequent first. */
    async recent(since: Date, limit = 50): Promise<{ text: string; count: number; lastAt: Date }[]> {
      return phrases.find({ lastAt: { $gte: since } }, { _id: 0, text: 1, count: 1, lastAt: 1 }).sort({ count: -1, lastAt: -1 }).limit(limit).maxTimeMS(MAX_TIME_MS).lean();
    },
  };
}

/** The phrases repository's type. */
export type PhrasesRepo = ReturnType<typeof createPhrasesRepo>;
