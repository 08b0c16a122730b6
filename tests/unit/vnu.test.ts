// The Nu HTML Checker as the browser tests run it: it must find errors, not only pass documents.
import { describe, expect, it } from "vitest";
import { htmlErrors } from "../support/vnu";

const page = (body: string) => `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Proef</title></head><body>${body}</body></html>`;

describe("the HTML checker", () => {
  it("passes a valid document and names the document and line of each error in another", async () => {
    // A long, deeply nested document as well: the checker's schema needs a deep stack.
    const deep = page(`${"<div>".repeat(400)}<p>diep</p>${"</div>".repeat(400)}`);
    const errors = await htmlErrors([
      { label: "valid", html: page("<main><h1>Welkom</h1><p>Tekst.</p></main>") },
      { label: "deep", html: deep },
      { label: "broken", html: page('<main><h1>Welkom</h1><p id="a">x</p><p id="a">y</p></main>') },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^broken: line 1: Duplicate ID “a”/);
  });
});
