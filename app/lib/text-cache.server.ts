// A bounded, least-recently-used memo for pure text → text functions (rendering markdown,
// excerpts): the same texts are shown on page after page, and rendering them is most of what a
// page of initiatives or comments costs. Bounded by the characters kept, not by entries, since
// texts differ in size by a thousand times.
export function memoText(fn: (text: string) => string, maxChars: number): (text: string) => string {
  const kept = new Map<string, string>();
  let chars = 0;
  return (text) => {
    const known = kept.get(text);
    if (known !== undefined) {
      // Most recently used last.
      kept.delete(text);
      kept.set(text, known);
      return known;
    }
    const result = fn(text);
    const size = text.length + result.length;
    if (size > maxChars / 10) return result; // one huge text must not push out everything else
    kept.set(text, result);
    chars += size;
    for (const [oldest, value] of kept) {
      if (chars <= maxChars) break;
      kept.delete(oldest);
      chars -= oldest.length + value.length;
    }
    return result;
  };
}
