import { diffLines, type DiffLine } from "./diff";

// The line diff compares every line with every line: two texts of many short lines (20,000
// characters of "a\n") would need hundreds of millions of cells. Beyond this many, the middle part
// that differs is shown as removed and added as a whole.
const maxCells = 250_000;

/** The diff of one field of a method between two versions: common lines at both ends kept as they are. */
export function diffMethodField(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const head = a.slice(0, start).map((text): DiffLine => ({ kind: "same", text }));
  const tail = a.slice(a.length - end).map((text): DiffLine => ({ kind: "same", text }));
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  const whole = () => [...midA.map((text): DiffLine => ({ kind: "removed", text })), ...midB.map((text): DiffLine => ({ kind: "added", text }))];
  const middle = midA.length && midB.length && (midA.length + 1) * (midB.length + 1) <= maxCells ? diffLines(midA.join("\n"), midB.join("\n")) : whole();
  return [...head, ...middle, ...tail];
}

/** Only the changed lines and `around` lines either side; a gap between them is one "…" line. */
export function changedWithContext(lines: DiffLine[], around = 2): DiffLine[] {
  const near = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === "same") return;
    for (let j = Math.max(0, i - around); j <= Math.min(lines.length - 1, i + around); j++) near[j] = true;
  });
  const out: DiffLine[] = [];
  lines.forEach((line, i) => {
    if (near[i]) out.push(line);
    else if (i > 0 && near[i - 1]) out.push({ kind: "same", text: "…" });
  });
  return out;
}
