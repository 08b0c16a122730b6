import { describe, expect, it } from "vitest";
import { memoText } from "~/lib/text-cache.server";

describe("memoText", () => {
  it("computes each text once while it is kept, and gives the same answer as the function", () => {
    let calls = 0;
    const upper = memoText((t) => (calls++, t.toUpperCase()), 1000);
    expect(upper("abc")).toBe("ABC");
    expect(upper("abc")).toBe("ABC");
    expect(calls).toBe(1);
  });

  it("keeps at most the given number of characters, letting the least recently used go first", () => {
    const seen: string[] = [];
    const echo = memoText((t) => (seen.push(t), t), 100); // each 5-character text weighs 10: ten fit
    const texts = "abcdefghij".split("").map((c) => c.repeat(5));
    for (const t of texts) echo(t);
    echo("aaaaa"); // used again: now the most recent
    echo("kkkkk"); // one too many: "bbbbb" goes
    seen.length = 0;
    echo("aaaaa");
    echo("ccccc");
    echo("kkkkk");
    expect(seen).toEqual([]);
    echo("bbbbb");
    expect(seen).toEqual(["bbbbb"]);
  });

  it("does not keep a text too big to share the space", () => {
    let calls = 0;
    const echo = memoText((t) => (calls++, t), 100);
    const big = "x".repeat(30);
    echo(big);
    echo(big);
    expect(calls).toBe(2);
  });
});
