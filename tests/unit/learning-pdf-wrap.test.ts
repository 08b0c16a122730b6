// The record of learning's PDF wraps its lines from words measured once each (app/lib/learning-pdf.server.ts):
// every line it makes must still fit when measured whole, as the old wrapping measured it, and
// no word may be lost, doubled or split where it fits.
import fontkit from "@pdf-lib/fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as pdfLib from "pdf-lib";
import type { PDFFont } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { pdfFonts, pdfKit } from "~/lib/learning-pdf.server";

const { wrap, embedFonts } = pdfKit(pdfLib, fontkit);
const font = (file: string) => readFileSync(createRequire(import.meta.url).resolve(file));

let regular: PDFFont;
let bold: PDFFont;

// The fonts as the PDF embeds them.
beforeAll(async () => {
  const doc = await pdfLib.PDFDocument.create();
  doc.registerFontkit(fontkit);
  ({ regular, bold } = await embedFonts(doc, { regular: font(pdfFonts.regular), bold: font(pdfFonts.bold) }));
});

// Words as records hold them: titles, names with accents, dates, long addresses and a few words
// longer than any line.
const words = ["Samen", "koken", "in", "de", "wijk", "Łukasz", "Zoë", "Nguyễn", "ma", "3", "nov.", "2025,", "19:00–21:00", "·", "2,5", "uur", "Gespreksvoering", "(GGZ", "Lindenveen)", "W", "i", "AV", "Ta"];
function randomText(seed: number) {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const count = 1 + Math.floor(next() * 60);
  return Array.from({ length: count }, () => (next() < 0.03 ? "x".repeat(40 + Math.floor(next() * 200)) : words[Math.floor(next() * words.length)])).join(next() < 0.1 ? "  \t" : " ");
}

describe("wrapping the PDF's lines", () => {
  it("makes lines that fit when measured whole, and keeps every word in order", () => {
    for (let seed = 1; seed <= 60; seed++) {
      const text = randomText(seed);
      for (const [font, size, max] of [[regular, 10, 483.28], [bold, 13, 471.28], [regular, 9, 200]] as const) {
        const lines = wrap(text, font, size, max);
        for (const line of lines) expect(font.widthOfTextAtSize(line, size), `${JSON.stringify(line)} at ${size}`).toBeLessThanOrEqual(max + 0.5);
        // Words longer than a line are cut into pieces; everything else comes out as it went in.
        expect(lines.join(" ").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
        // Greedy: the next line's first word did not fit on the line before it.
        for (let i = 1; i < lines.length; i++) {
          const [first] = lines[i].split(" ");
          expect(font.widthOfTextAtSize(`${lines[i - 1]} ${first}`, size)).toBeGreaterThan(max - 0.5);
        }
      }
    }
  });

  it("prints a letter typed as a base and an accent as the one composed letter", () => {
    expect(wrap("Nguye\u0302\u0303n Zoe\u0308", regular, 10, 483)).toEqual(["Nguyễn Zoë"]);
  });

  it("cuts a word longer than a line into pieces that each fit", () => {
    const lines = wrap("a".repeat(5_000), regular, 10, 200);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(regular.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(200);
    expect(lines.join("")).toBe("a".repeat(5_000));
  });
});
