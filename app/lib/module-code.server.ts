// The code of chosen modules inside the server build. The build is one bundle that esbuild writes
// without minifying, and it starts each module's code with a line that holds only the module's
// source ("// app/governance/voice.ts"); the code's own line comments are left out. A value
// stored for later starts can so be marked with the code it depends on alone, and a new build
// that left that code as it was goes on using the value (ADR 041). The bundle is read as bytes:
// decoding all of it to text took longer than the rest (15–25 ms of a start).

const lineStart = Buffer.from("\n// ");
const modulePath = /^\S+\.[cm]?[jt]sx?$/;
// esbuild keeps names apart across the bundle by numbering them ("sql" becomes "sql8", "dayMs"
// "dayMs3"), and a new import of the same name in any other module renumbers them. Numbers at
// the end of names are left out, so the code reads as its sources do.
const numberedName = /\b([A-Za-z_$][\w$]*?)\d+\b/g;

/** Where each module's code starts in a bundle, and the module's source. */
function moduleStarts(bundle: Buffer): { at: number; source: string }[] {
  const starts: { at: number; source: string }[] = [];
  const lineAt = (at: number) => {
    const end = bundle.indexOf(10, at);
    const source = bundle.toString("utf8", at + 3, end < 0 ? bundle.length : end);
    if (modulePath.test(source)) starts.push({ at, source });
  };
  if (bundle.toString("utf8", 0, 3) === "// ") lineAt(0);
  for (let at = bundle.indexOf(lineStart); at >= 0; at = bundle.indexOf(lineStart, at + 1)) lineAt(at + 1);
  return starts;
}

/**
 * The code of the modules `wanted` picks out of a bundle, in the bundle's order (a module can
 * come in more than one part), without the numbers at the end of names; null when the bundle names
 * no module that `wanted` picks (not a bundle, a minified one, or the sources as tests run them):
 * the caller then uses the whole file.
 */
export function moduleCode(bundle: Buffer, wanted: (source: string) => boolean): string | null {
  const starts = moduleStarts(bundle);
  let code = "";
  starts.forEach((start, i) => {
    if (wanted(start.source)) code += bundle.toString("utf8", start.at, starts[i + 1]?.at ?? bundle.length);
  });
  return code ? code.replace(numberedName, "$1") : null;
}
