// The code of chosen modules inside the server build. The build is one bundle that esbuild writes
// without minifying, and it starts each module's code with a line that holds only the module's
// source ("// app/governance/voice.ts"); the code's own line comments are left out. A value
// stored for later starts can so be marked with the code it depends on alone, and a new build
// that left that code as it was goes on using the value (ADR 041).

const moduleStart = /^\/\/ (\S+\.[cm]?[jt]sx?)$/gm;
// esbuild keeps names apart across the bundle by numbering them ("sql" becomes "sql8", "dayMs"
// "dayMs3"), and a new import of the same name in any other module renumbers them. Numbers at
// the end of names are left out, so the code reads as its sources do.
const numberedName = /\b([A-Za-z_$][\w$]*?)\d+\b/g;

/**
 * The code of the modules `wanted` picks out of a bundle, in the bundle's order (a module can
 * come in more than one part), without the numbers at the end of names; null when the text names
 * no module that `wanted` picks (not a bundle, a minified one, or the sources as tests run them):
 * the caller then uses the whole text.
 */
export function moduleCode(bundle: string, wanted: (source: string) => boolean): string | null {
  const starts = [...bundle.matchAll(moduleStart)];
  let code = "";
  starts.forEach((start, i) => {
    if (wanted(start[1])) code += bundle.slice(start.index, starts[i + 1]?.index ?? bundle.length);
  });
  return code ? code.replace(numberedName, "$1") : null;
}
