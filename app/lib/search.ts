/**
 * Turns what someone typed into an FTS5 query: every word must occur, as a word or the start of
 * one; quotes keep FTS5 operators in the input from meaning anything.
 */
export function toFtsQuery(q: string): string | null {
  const words = q.normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return null;
  return words
    .slice(0, 12)
    .map((w) => `"${w}"*`)
    .join(" ");
}
