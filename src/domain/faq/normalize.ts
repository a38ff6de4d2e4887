/**
 * Text normalisation for matching what people type against keyword lists: case-insensitive,
 * Vietnamese-diacritics-insensitive ("hỗ trợ doanh nghiệp" ≡ "ho tro doanh nghiep").
 */

/** Lower-cases, strips diacritics (NFD + combining marks, đ→d) and collapses everything else to single spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    // đ is a letter of its own, not d + a combining mark, so NFD leaves it alone.
    .replace(/đ/g, "d")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Normalised tokens; English plurals are folded ("enterprises" → "enterprise") so keyword lists stay short. */
export function tokenize(text: string): string[] {
  const normalized = normalizeText(text);
  if (normalized === "") return [];
  return normalized.split(" ").map(stem);
}

/** English plural folded ("enterprises" → "enterprise"); Vietnamese syllables never end in "s", so only English words change. */
export function stem(token: string): string {
  if (token.length > 4 && token.endsWith("ies")) return `${token.slice(0, -3)}y`;
  if (token.length > 3 && token.endsWith("s") && !token.endsWith("ss")) return token.slice(0, -1);
  return token;
}
