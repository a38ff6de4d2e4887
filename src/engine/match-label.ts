/** Picks a choice from typed text: by its number or its words, ignoring case and Vietnamese diacritics. */

/** Lower-case, without diacritics (đ → d), punctuation collapsed to single spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * A typed option number: the number for "3" (or "3."), "invalid" for what looks like a number
 * but cannot be one of a list ("-1", "2.5", "0"), null for anything else.
 */
export function typedNumber(text: string): number | "invalid" | null {
  const t = text.trim();
  if (/^\d{1,4}\.?$/.test(t)) return Number(t.replace(".", "")) || "invalid";
  if (/^[-+]?\d+([.,]\d+)?$/.test(t)) return "invalid";
  return null;
}

/** Several option numbers at once ("1, 3", "1 3", "1 và 3", "1 and 3"), or null when the text is not such a list. */
export function typedNumbers(text: string): number[] | null {
  const parts = normalizeText(text).split(/\s+(?:va|and)\s+|\s+/);
  if (parts.length < 2 || !parts.every((p) => /^\d{1,4}$/.test(p))) return null;
  if (!/^[\d\s,;&+]+$/.test(text.trim().replace(/\s(và|va|and)\s/gi, " "))) return null;
  return parts.map(Number);
}

const containsWords = (haystack: string, needle: string) => ` ${haystack} `.includes(` ${needle} `);

/**
 * The id of the choice `text` picks, or null. A number picks by position (1-based, as lists
 * are shown); otherwise an exact label/id match wins, then a unique label containing the
 * typed words, then a unique label whose words all appear in the text.
 */
export function matchLabel(
  text: string,
  options: readonly { id: string; label: string }[],
  opts: { numbers?: boolean; exact?: boolean } = {},
): string | null {
  const input = normalizeText(text);
  if (input === "") return null;
  if (opts.numbers !== false) {
    const n = typedNumber(text);
    if (n === "invalid") return null;
    if (n !== null) return options[n - 1]?.id ?? null;
  }
  const norm = options.map((o) => ({ id: o.id, label: normalizeText(o.label), idWords: normalizeText(o.id.replace(/_/g, " ")) }));
  const exact = norm.filter((o) => o.label === input || o.idWords === input);
  if (exact.length === 1) return exact[0]!.id;
  if (opts.exact || exact.length > 1) return null;
  const unique = (list: typeof norm) => (list.length === 1 ? list[0]!.id : null);
  if (input.length >= 2) {
    const byPart = unique(norm.filter((o) => o.label !== "" && containsWords(o.label, input)));
    if (byPart) return byPart;
  }
  return unique(norm.filter((o) => o.label !== "" && containsWords(input, o.label)));
}

/** True when an option's label is these words or starts with them ("Dừng lại" claims "dừng"): then the option, not a global word, is meant. */
export function claimsWords(label: string, words: string): boolean {
  // Typed with accents, accents count ("thôi" is not "Thời gian"); typed without, they are ignored.
  const accented = /[\u0300-\u036f]|đ/iu.test(words.normalize("NFD"));
  const fold = accented ? (t: string) => t.normalize("NFC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim() : normalizeText;
  const l = fold(label);
  const w = fold(words);
  return w !== "" && (l === w || l.startsWith(`${w} `));
}
