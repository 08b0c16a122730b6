// The record of learning as a PDF (A4, as many pages as it needs), made on the server without a
// browser: pdf-lib with the DejaVu Sans fonts embedded (only the letters used), so that every
// name prints as typed: "Łukasz", "Zoë", "Nguyễn".
//
// It is made in two steps. The server's own thread reads the record and writes down what the PDF
// says (`learningPdfPlan`: every text translated, every date formatted); a worker thread lays it
// out and draws it (`pdfKit`, run by app/lib/pdf-worker.server.ts), so that a long record never
// holds up the pages of everyone else.
import type { PDFDocument, PDFFont, PDFPage, RGB } from "pdf-lib";
import { translator, type Locale } from "~/lib/i18n";
import { formatHours } from "~/lib/learning-hours";
import { formatDate, formatTimeRange } from "~/lib/time";
import type { LearningRecord } from "~/models/learning.types";

export type LearningPdfContent = {
  name: string;
  year: number | null;
  verifyUrl: string | null;
  record: LearningRecord;
  siteUrl: string;
  madeAt: number;
  timeZone: string;
};

export type PdfStyleName = "title" | "heading" | "strong" | "body" | "small" | "smallStrong";
export type PdfLine = { text: string; style: PdfStyleName; indent?: number };
/** What goes down the pages, in order. A cell's x "end" is the right edge of the text column. */
export type PdfBlock =
  | ({ kind: "text"; after?: number } & PdfLine)
  | { kind: "gap"; points: number }
  | { kind: "keep"; points: number }
  | { kind: "row"; cells: { text: string; x: number | "end"; right?: boolean }[]; style: PdfStyleName }
  | { kind: "rule"; after: number }
  | { kind: "group"; lines: PdfLine[]; after: number };
export type PdfPlan = {
  info: { title: string; author: string; subject: string; language: string; madeAt: number };
  blocks: PdfBlock[];
  /** Each page's footer: `pageOf` with \u0001 for the page and \u0002 for the number of pages, then `footer`. */
  pageOf: string;
  footer: string;
};
export type PdfFontFiles = { regular: Uint8Array; bold: Uint8Array };
/** The fonts' files in the installed package, as `require.resolve` finds them. */
export const pdfFonts = { regular: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf", bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" };

type PdfLib = typeof import("pdf-lib");
type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];

/**
 * Laying out and drawing a plan, given pdf-lib and fontkit. Self-contained: it refers to nothing
 * outside itself, because the worker thread runs its source text (app/lib/pdf-worker.server.ts).
 */
export function pdfKit(lib: PdfLib, fontkit: Fontkit) {
  const a4 = [595.28, 841.89] as const;
  const margin = 56;
  const width = a4[0] - 2 * margin;
  const tone = (level: number) => lib.rgb(level, level, level);
  const ink = tone(0.1);
  const muted = tone(0.35);
  const rule = tone(0.75);

  // Measuring and drawing a text lays it out (fontkit), which took most of a PDF's time: a record
  // of 1,950 sessions took 9 s. Three things keep that down:
  // - The layout runs without OpenType features. The PDF places glyphs by their own widths, so
  //   kerning and mark positions from the layout were never used; ligatures are all that could
  //   show, and DejaVu Sans draws these texts the same without them. Texts are put in composed form
  //   (NFC) first, so that a letter typed as a base and a combining accent is drawn as the one
  //   accented letter the font has.
  // - Wrapping measures each word once per document and font; a line is its words and the spaces
  //   between (without features the same width as measuring it whole). It measured every line
  //   again with each word added.
  // - Drawing lays out each distinct line once (encodingOnce).
  const plainText = Object.fromEntries(["ccmp", "locl", "rlig", "mark", "mkmk", "calt", "clig", "liga", "rclt", "curs", "kern"].map((feature) => [feature, false]));

  type Style = { font: PDFFont; size: number; color: RGB; indent: number };
  const wordWidths = new WeakMap<PDFFont, Map<string, number>>();

  /** The width of `word` at size 1, measured once per font. */
  function wordWidth(font: PDFFont, word: string): number {
    let known = wordWidths.get(font);
    if (!known) wordWidths.set(font, (known = new Map()));
    let measured = known.get(word);
    if (measured === undefined) known.set(word, (measured = font.widthOfTextAtSize(word, 1)));
    return measured;
  }

  /** Lines of at most `max` points wide; a word longer than a line is cut where it must be. */
  function wrap(text: string, font: PDFFont, size: number, max: number): string[] {
    const lines: string[] = [];
    const space = wordWidth(font, " ") * size;
    let line = "";
    let lineWidth = 0;
    for (const word of text.normalize("NFC").replace(/\s+/g, " ").trim().split(" ")) {
      const ownWidth = wordWidth(font, word) * size;
      const joinedWidth = line ? lineWidth + space + ownWidth : ownWidth;
      if (joinedWidth <= max) {
        line = line ? `${line} ${word}` : word;
        lineWidth = joinedWidth;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      lineWidth = ownWidth;
      if (ownWidth <= max) continue;
      // A word longer than a line: cut letter by letter, at least one letter per line.
      line = "";
      lineWidth = 0;
      for (const letter of word) {
        const letterWidth = wordWidth(font, letter) * size;
        if (line && lineWidth + letterWidth > max) {
          lines.push(line);
          line = "";
          lineWidth = 0;
        }
        line += letter;
        lineWidth += letterWidth;
      }
    }
    if (line) lines.push(line);
    return lines.length ? lines : [""];
  }

  /**
   * The font, laying out each distinct line once: a record repeats most of its lines (titles,
   * hosts, how attendance was noted), and drawing a line lays it out again each time. The encoded
   * line is the same each time, and its letters are in the font's subset from the first time.
   */
  function encodingOnce(font: PDFFont): PDFFont {
    const encode = font.encodeText.bind(font);
    const encoded = new Map<string, ReturnType<PDFFont["encodeText"]>>();
    font.encodeText = (text: string) => {
      let hex = encoded.get(text);
      if (!hex) encoded.set(text, (hex = encode(text)));
      return hex;
    };
    return font;
  }

  /** The document's two fonts, embedded as every PDF of the record uses them. */
  async function embedFonts(doc: PDFDocument, files: PdfFontFiles): Promise<{ regular: PDFFont; bold: PDFFont }> {
    const embed = async (file: Uint8Array) => encodingOnce(await doc.embedFont(file, { subset: true, features: plainText }));
    return { regular: await embed(files.regular), bold: await embed(files.bold) };
  }

  /** The plan's PDF. */
  async function draw(plan: PdfPlan, files: PdfFontFiles): Promise<Uint8Array> {
    const doc = await lib.PDFDocument.create();
    doc.registerFontkit(fontkit);
    const { regular, bold } = await embedFonts(doc, files);
    doc.setTitle(plan.info.title, { showInWindowTitleBar: true });
    doc.setAuthor(plan.info.author);
    doc.setSubject(plan.info.subject);
    doc.setLanguage(plan.info.language);
    doc.setCreator("Meedoen");
    doc.setProducer("Meedoen");
    doc.setCreationDate(new Date(plan.info.madeAt));
    doc.setModificationDate(new Date(plan.info.madeAt));
    const styles: Record<PdfStyleName, Omit<Style, "indent">> = {
      title: { font: bold, size: 20, color: ink },
      heading: { font: bold, size: 13, color: ink },
      strong: { font: bold, size: 10, color: ink },
      body: { font: regular, size: 10, color: ink },
      small: { font: regular, size: 9, color: muted },
      smallStrong: { font: bold, size: 9, color: muted },
    };
    const styleOf = (line: { style: PdfStyleName; indent?: number }): Style => ({ ...styles[line.style], indent: line.indent ?? 0 });

    const pages: PDFPage[] = [];
    let page!: PDFPage;
    let y = 0;
    const newPage = () => {
      page = doc.addPage([...a4]);
      pages.push(page);
      y = a4[1] - margin;
    };
    // A new page unless `height` points still fit above the footer.
    const keep = (height: number) => {
      if (y - height < margin + 24) newPage();
    };
    const linesOf = (text: string, style: Style) => wrap(text, style.font, style.size, width - style.indent);
    const text = (words: string, style: Style, after = 0) => {
      const leading = style.size * 1.35;
      for (const line of linesOf(words, style)) {
        keep(leading);
        y -= leading;
        page.drawText(line, { x: margin + style.indent, y, size: style.size, font: style.font, color: style.color });
      }
      y -= after;
    };

    newPage();
    for (const block of plan.blocks) {
      if (block.kind === "text") text(block.text, styleOf(block), block.after);
      else if (block.kind === "gap") y -= block.points;
      else if (block.kind === "keep") keep(block.points);
      else if (block.kind === "rule") {
        keep(block.after);
        page.drawLine({ start: { x: margin, y: y - 4 }, end: { x: margin + width, y: y - 4 }, thickness: 0.5, color: rule });
        y -= block.after;
      } else if (block.kind === "row") {
        // Columns at fixed offsets on one line (a row of the totals table).
        const style = styleOf(block);
        const leading = style.size * 1.5;
        keep(leading);
        y -= leading;
        for (const cell of block.cells) {
          const x = cell.x === "end" ? width : cell.x;
          const w = style.font.widthOfTextAtSize(cell.text, style.size);
          page.drawText(cell.text, { x: margin + (cell.right ? x - w : x), y, size: style.size, font: style.font, color: style.color });
        }
      } else {
        // Lines kept on one page when they fit on one.
        const lines = block.lines.map((line) => [line.text, styleOf(line)] as const);
        keep(lines.reduce((sum, [words, style]) => sum + linesOf(words, style).length * style.size * 1.35, 0) + block.after);
        for (const [words, style] of lines) text(words, style);
        y -= block.after;
      }
    }
    pages.forEach((each, i) => {
      const pageText = `${plan.pageOf.replace("\u0001", String(i + 1)).replace("\u0002", String(pages.length))} · ${plan.footer}`;
      const line = wrap(pageText, regular, 8, width)[0];
      each.drawText(line, { x: margin, y: margin - 20, size: 8, font: regular, color: muted });
    });
    return doc.save();
  }

  return { wrap, embedFonts, draw };
}

/** What the PDF says, in Dutch or English. */
export function learningPdfPlan(content: LearningPdfContent, locale: Locale): PdfPlan {
  const t = translator(locale);
  const hours = (minutes: number) => t("learning.hoursValue", { amount: formatHours(minutes, locale) });
  const period = content.year === null ? t("learning.period.all") : t("learning.period.year", { year: content.year });
  const blocks: PdfBlock[] = [
    { kind: "text", text: `Meedoen · ${content.siteUrl}`, style: "small", after: 4 },
    { kind: "text", text: t("learning.title"), style: "title", after: 6 },
    { kind: "text", text: `${t("learning.pdf.name")}: ${content.name}`, style: "strong", after: 2 },
    { kind: "text", text: `${t("learning.pdf.period")}: ${period}`, style: "body", after: 2 },
    { kind: "text", text: `${t("learning.pdf.madeOn")}: ${formatDate(content.madeAt, locale, content.timeZone)}`, style: "body", after: 2 },
    content.verifyUrl ? { kind: "text", text: `${t("learning.pdf.verify")}: ${content.verifyUrl}`, style: "body", after: 2 } : { kind: "text", text: t("learning.pdf.noVerify"), style: "small", after: 2 },
    { kind: "gap", points: 6 },
    { kind: "text", text: t("learning.notAccreditation"), style: "strong", after: 4 },
    { kind: "text", text: t("learning.pdf.how"), style: "small", after: 10 },
    { kind: "keep", points: 80 },
    { kind: "text", text: t("learning.totals"), style: "heading", after: 2 },
  ];
  const row = (cells: [string, string, string], style: PdfStyleName): PdfBlock => ({
    kind: "row",
    cells: [{ text: cells[0], x: 0 }, { text: cells[1], x: 260, right: true }, { text: cells[2], x: "end", right: true }],
    style,
  });
  blocks.push(row([t("learning.year"), t("learning.sessions"), t("learning.hours")], "smallStrong"));
  for (const y of content.record.years) blocks.push(row([String(y.year), String(y.sessions), hours(y.minutes)], "body"));
  blocks.push({ kind: "rule", after: 4 }, row([t("learning.total"), String(content.record.total.sessions), hours(content.record.total.minutes)], "strong"), { kind: "gap", points: 14 });

  blocks.push({ kind: "keep", points: 60 }, { kind: "text", text: t("learning.list"), style: "heading", after: 4 });
  if (!content.record.sessions.length) blocks.push({ kind: "text", text: t("learning.pdf.empty"), style: "body" });
  for (const s of content.record.sessions) {
    const lines: PdfLine[] = [
      { text: `${formatTimeRange(s.startsAt, s.endsAt, locale, content.timeZone)} · ${hours(s.minutes)}`, style: "strong" },
      { text: s.initiative ? s.initiative.title : t("learning.hiddenInitiative"), style: "body", indent: 12 },
      { text: `${t("learning.hosts")}: ${s.hosts.length ? s.hosts.map((h) => h.name).join(", ") : t("learning.noHosts")}`, style: "small", indent: 12 },
      { text: s.attendance === "code" ? t("learning.attendance.code") : t("learning.attendance.host"), style: "small", indent: 12 },
    ];
    if (s.methods.length) lines.push({ text: `${t("learning.methods")}: ${s.methods.map((m) => m.title).join(", ")}`, style: "small", indent: 12 });
    blocks.push({ kind: "group", lines, after: 8 });
  }
  return {
    info: {
      title: t("learning.pdf.documentTitle", { name: content.name }),
      author: content.name,
      subject: t("learning.notAccreditation"),
      language: locale === "en" ? "en-GB" : "nl-NL",
      madeAt: content.madeAt,
    },
    blocks,
    pageOf: t("learning.pdf.page", { page: "\u0001", pages: "\u0002" }),
    footer: t("learning.pdf.footer", { name: content.name }),
  };
}
