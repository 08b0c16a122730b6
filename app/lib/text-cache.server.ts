// A bounded, least-recently-used memo for pure text → text functions (rendering markdown,
// excerpts): the same texts are shown on page after page, and rendering them is most of what a
// page of initiatives or comments costs. Bounded by the characters kept, not by entries, since
// texts differ in size by a thousand times.
// `keep` (optional) says whether a result may be kept: one that might come out differently
// another time (a render given up for time on a busy machine) is not.
export function memoText(fn: (text: string) => string, maxChars: number, options: { keep?: (text: string, result: string) => boolean } = {}): (text: string) => string {
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
    if (options.keep && !options.keep(text, result)) return result;
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
