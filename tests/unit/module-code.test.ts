// A stored voice replay state is marked with the code it depends on (ADR 041): the voice modules'
// code inside the server build, so that a new build that changed only pages goes on from it, and
// one that changed the voice rules replays every meeting. These tests cut that code out of a
// bundle written here and out of the real build.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { moduleCode } from "~/lib/module-code.server";
import { isVoiceModule, voiceCode as voiceCodeOf } from "~/models/voice-replay.server";

// The build is read as bytes; these tests write and read text.
const voiceCode = (text: string) => {
  const code = voiceCodeOf(Buffer.from(text));
  return typeof code === "string" ? code : code.toString();
};
const codeOf = (text: string, wanted: (source: string) => boolean) => moduleCode(Buffer.from(text), wanted);

const bundle = [
  'import { createHash } from "node:crypto";',
  "",
  "// node_modules/some-package/index.js",
  "var shared = 1;",
  "",
  "// app/governance/voice.ts",
  "var dayMs = 864e5;",
  "",
  "// app/routes/_index.tsx",
  "function Home() { return 'Één → twee'; }",
  "",
  "// app/models/voice-replay.server.ts",
  "function replay() { return dayMs; }",
  "export { Home, replay };",
  "",
].join("\n");

describe("the code of chosen modules in a bundle", () => {
  it("takes each chosen module's part, up to the next module, in the bundle's order", () => {
    expect(voiceCode(bundle)).toBe(
      ["// app/governance/voice.ts", "var dayMs = 864e5;", "", "// app/models/voice-replay.server.ts", "function replay() { return dayMs; }", "export { Home, replay };", ""].join("\n"),
    );
    expect(codeOf("// app/a.ts\nimport { sql as sql8 } from \"drizzle-orm\";\nvar n = sql8`SELECT 1`;\n", () => true)).toBe(
      "// app/a.ts\nimport { sql as sql } from \"drizzle-orm\";\nvar n = sql`SELECT 1`;\n",
    );
    expect(codeOf(bundle, (source) => source.startsWith("node_modules/"))).toBe("// node_modules/some-package/index.js\nvar shared = 1;\n\n");
  });

  it("gives the whole text when it names none of the modules", () => {
    const sources = "export function replay() {\n  // app/governance/voice.ts is not named at the start of a line here\n  return 1;\n}\n";
    expect(voiceCode(sources)).toBe(sources);
    expect(codeOf(bundle, () => false)).toBeNull();
  });

  it("is the same for a build that changed a page or esbuild's numbering of names, and not for one that changed the rules", () => {
    const pageChanged = bundle.replace("return 'Één → twee';", "return 'welkom';");
    // Another module's new `dayMs` makes esbuild number this one.
    const renumbered = bundle.replace("var dayMs = 864e5;", "var dayMs2 = 864e5;").replace("return dayMs;", "return dayMs2;");
    const rulesChanged = bundle.replace("var dayMs = 864e5;", "var dayMs = 36e5;");
    expect(voiceCode(pageChanged)).toBe(voiceCode(bundle));
    expect(voiceCode(renumbered)).toBe(voiceCode(bundle));
    expect(voiceCode(rulesChanged)).not.toBe(voiceCode(bundle));
  });
});

describe("the server build", () => {
  // `npm test` builds first; production runs this file.
  const build = readFileSync("build/index.js", "utf8");

  it("marks its modules, so that the voice code is found in it and is not the whole build", () => {
    const code = voiceCode(build);
    for (const source of ["app/governance/voice.ts", "app/governance/voice-state.ts", "app/governance/config.ts", "app/models/voice-replay.server.ts", "app/models/derived.server.ts"]) {
      expect(`\n${code}`).toContain(`\n// ${source}\n`);
    }
    expect(code).toContain("VoiceReplayer");
    expect(code).toContain("replayInput(");
    expect(code.length).toBeLessThan(build.length / 5);
    expect(code).not.toContain("// app/routes/");
  });

  it("gives the same voice code when a page's code changes, and another when the voice rules' code changes", () => {
    const page = /^\/\/ app\/routes\/\S+\n/m.exec(build)!;
    const pageChanged = build.slice(0, page.index + page[0].length) + "var changedPage = 1;\n" + build.slice(page.index + page[0].length);
    expect(voiceCode(pageChanged)).toBe(voiceCode(build));
    const rules = "// app/governance/voice.ts\n";
    const rulesChanged = build.replace(rules, rules + "var changedRule = 1;\n");
    expect(rulesChanged).not.toBe(build);
    expect(voiceCode(rulesChanged)).not.toBe(voiceCode(build));
  });
});

describe("the voice modules", () => {
  // Modules the voice code imports that decide no voice: they run what they are given (db/client.ts
  // opens the connection and names the migrations' folder; the migrations that matter are in the
  // fingerprint by their text).
  const decideNothing = new Set(["app/lib/db.server.ts", "app/lib/module-code.server.ts", "db/client.ts"]);

  /** The app's modules a source file imports (not types), as paths from the project's root. */
  function importsOf(source: string): string[] {
    const text = readFileSync(source, "utf8");
    const found: string[] = [];
    for (const [, what, from] of [...text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)]) {
      if (what || !(from.startsWith("~/") || from.startsWith("."))) continue;
      const base = from.startsWith("~/") ? path.join("app", from.slice(2)) : path.join(path.dirname(source), from);
      const file = [".ts", ".tsx", "/index.ts"].map((ext) => base + ext).find((f) => existsSync(f));
      expect(file, `${source} imports ${from}`).toBeDefined();
      found.push(file!);
    }
    return found;
  }

  it("are every module of the app the replay's code imports, so that a change to any of them replays every meeting", () => {
    const seen = new Set<string>();
    const queue = ["app/models/voice-replay.server.ts"];
    while (queue.length) {
      const source = queue.pop()!;
      if (seen.has(source)) continue;
      seen.add(source);
      expect(isVoiceModule(source), `${source} is imported by the voice code: add it to isVoiceModule, or to decideNothing here if it decides no voice`).toBe(true);
      for (const imported of importsOf(source)) if (!decideNothing.has(imported)) queue.push(imported);
    }
    expect([...seen].sort()).toEqual([
      "app/governance/config.ts",
      "app/governance/voice-state.ts",
      "app/governance/voice.ts",
      "app/models/derived.server.ts",
      "app/models/voice-reader.server.ts",
      "app/models/voice-replay.server.ts",
    ]);
  });
});
