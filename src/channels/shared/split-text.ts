/**
 * Splits long text for platforms with a per-message limit, preferring paragraph, then line,
 * then word boundaries, and never cutting a word or a user-perceived character in two.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Splits `text` into parts of at most `limit` UTF-16 code units (the unit platforms count). */
export function splitText(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError("splitText: limit too small");
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head !== "") parts.push(head);
    rest = rest.slice(cut).replace(/^\s+/, "");
  }
  if (rest.trim() !== "") parts.push(rest);
  return parts;
}

/** The index where the first part ends: the last good boundary within `limit`. */
function findCut(text: string, limit: number): number {
  // Only accept a boundary past a quarter of the limit, so parts are not absurdly short.
  const floor = Math.floor(limit / 4);
  for (const sep of ["\n\n", "\n", " "]) {
    // A separator may start at `limit`: the part keeps text[0, at) and the separator is trimmed.
    const at = text.lastIndexOf(sep, limit);
    if (at >= floor) return at + sep.length;
  }
  return graphemeCut(text, limit);
}

/** The largest grapheme boundary <= limit, so no multi-byte character or combining mark is split. */
function graphemeCut(text: string, limit: number): number {
  let cut = 0;
  for (const { index, segment } of segmenter.segment(text.slice(0, limit + 32))) {
    if (index + segment.length > limit) break;
    cut = index + segment.length;
  }
  if (cut > 0) return cut;
  // One grapheme longer than the limit (a pathological combining sequence): cut by code point.
  let at = 0;
  for (const cp of text) {
    if (at + cp.length > limit) break;
    at += cp.length;
  }
  return Math.max(at, 1);
}
