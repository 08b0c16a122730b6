// Every dependency with an install script is named in package.json's allowScripts (ADR 061): a
// later npm runs none that is not, and one that is named false never runs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => JSON.parse(readFileSync(path.join(root, file), "utf8"));

describe("install scripts", () => {
  const allowed = read("package.json").allowScripts as Record<string, boolean>;
  const lock = read("package-lock.json") as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([where, info]) => where !== "" && info.hasInstallScript)
    .map(([where]) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length));

  it("are each allowed or denied by name", () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts.filter((name) => typeof allowed[name] !== "boolean"))]).toEqual([]);
  });

  it("compile SQLite and check the compiler's and the pictures' binaries, and download no Java", () => {
    expect(allowed).toEqual({ "better-sqlite3": true, esbuild: true, sharp: true, "vnu-jar": false });
  });
});
