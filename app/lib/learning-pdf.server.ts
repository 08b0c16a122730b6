// The record of learning as a PDF (A4, as many pages as it needs), made on the server without a
// browser: pdf-lib with the DejaVu Sans fonts embedded (only the letters used), so that every
// name prints as typed: "Łukasz", "Zoë", "Nguyễn".
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { PDFDocument, PDFFont, PDFPage, RGB } from "pdf-lib";
import { translator, type Locale } from "~/lib/i18n";
import { formatHours } from "~/lib/learning-hours";
import { formatDate, formatTimeRange } from "~/lib/time";
import type { LearningRecord } from "~/models/learning.types";

// The font files are read from the installed package when the first PDF is made, so that the
// server build does not try to bundle them.
const require = createRequire(import.meta.url);
let fontFiles: { regular: Buffer; bold: Buffer } | undefined;

function fonts() {
  fontFiles ??= {
    regular: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
    bold: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
  };
  return fontFiles;
}

export type LearningPdfContent = {
  name: string;
  year: number | null;
  verifyUrl: string | null;
  record: LearningRecord;
  siteUrl: string;
  madeAt: number;
  timeZone: string;
};

const a4 = [595.28, 841.89] as const;
const margin = 56;
const width = a4[0] - 2 * margin;
// Grey tones; pdf-lib itself is loaded with the first PDF (loading it takes long at start).
const tone = (level: number): RGB => ({ type: "RGB", red: level, green: level, blue: level }) as RGB;
const ink = tone(0.1);
const muted = tone(0.35);
const rule = tone(0.75);

// Measuring and drawing a text lays it out (fontkit), which took most of a PDF's time: a record of
// 1,950 sessions held the server for 9 s. Three things keep that down:
// - The layout runs without OpenType features. The PDF places glyphs by their own widths, so
//   kerning and mark positions from the layout were never used; ligatures are all that could show,
//   and DejaVu Sans draws these texts the same without them. Texts are put in composed form (NFC)
//   first, so that a letter typed as a base and a combining accent is drawn as the one accented
//   letter the font has.
// - Wrapping measures each word once per document and font; a line is its words and the spaces
//   between (without features the same width as measuring it whole). It measured every line again
//   with each word added.
// - Drawing lays out each distinct line once (encodingOnce).
const plainText = Object.fromEntries(["ccmp", "locl", "rlig", "mark", "mkmk", "calt", "clig", "liga", "rclt", "curs", "kern"].map((feature) => [feature, false]));

type Style = { font: PDFFont; size: number; color?: RGB; indent?: number };

const wordWidths = new WeakMap<PDFFont, Map<string, number>>();

/** The width of `word` at size 1, measured once per font. */
function wordWidth(font: PDFFont, word: string): number {
  let known = wordWidths.get(font);
  if (!known) wordWidths.set(font, (known = new Map()));
  let width = known.get(word);
  if (width === undefined) known.set(word, (width = font.widthOfTextAtSize(word, 1)));
  return width;
}

/** Lines of at most `max` points wide; a word longer than a line is cut where it must be. */
export function wrap(text: string, font: PDFFont, size: number, max: number): string[] {
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
 * The font, laying out each distinct line once: a record repeats most of its lines (titles, hosts,
 * how attendance was noted), and drawing a line lays it out again each time. The encoded line is
 * the same each time, and its letters are in the font's subset from the first time.
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
export async function embedFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  const embed = async (file: Buffer) => encodingOnce(await doc.embedFont(file, { subset: true, features: plainText }));
  return { regular: await embed(fonts().regular), bold: await embed(fonts().bold) };
}

/** Writes lines down the pages, starting a new page when one is full. */
class Writer {
  page!: PDFPage;
  y = 0;
  readonly pages: PDFPage[] = [];

  constructor(private readonly doc: PDFDocument) {
    this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage([...a4]);
    this.pages.push(this.page);
    this.y = a4[1] - margin;
  }

  /** Starts a new page unless `height` points still fit above the footer. */
  keep(height: number) {
    if (this.y - height < margin + 24) this.newPage();
  }

  text(text: string, style: Style, after = 0) {
    const indent = style.indent ?? 0;
    const leading = style.size * 1.35;
    for (const line of wrap(text, style.font, style.size, width - indent)) {
      this.keep(leading);
      this.y -= leading;
      this.page.drawText(line, { x: margin + indent, y: this.y, size: style.size, font: style.font, color: style.color ?? ink });
    }
    this.y -= after;
  }

  /** Columns at fixed offsets on one line (a row of the totals table). */
  row(cells: { text: string; x: number; right?: boolean }[], style: Style) {
    const leading = style.size * 1.5;
    this.keep(leading);
    this.y -= leading;
    for (const cell of cells) {
      const w = style.font.widthOfTextAtSize(cell.text, style.size);
      this.page.drawText(cell.text, { x: margin + (cell.right ? cell.x - w : cell.x), y: this.y, size: style.size, font: style.font, color: style.color ?? ink });
    }
  }

  line(after = 8) {
    this.keep(after);
    this.page.drawLine({ start: { x: margin, y: this.y - 4 }, end: { x: margin + width, y: this.y - 4 }, thickness: 0.5, color: rule });
    this.y -= after;
  }

  /** The height `text` takes when wrapped. */
  height(text: string, style: Style) {
    return wrap(text, style.font, style.size, width - (style.indent ?? 0)).length * style.size * 1.35;
  }
}

/** The PDF's bytes, in Dutch or English. */
export async function learningPdf(content: LearningPdfContent, locale: Locale): Promise<Uint8Array> {
  const t = translator(locale);
  const [{ PDFDocument }, { default: fontkit }] = await Promise.all([import("pdf-lib"), import("@pdf-lib/fontkit")]);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const { regular, bold } = await embedFonts(doc);
  const title = t("learning.pdf.documentTitle", { name: content.name });
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setAuthor(content.name);
  doc.setSubject(t("learning.notAccreditation"));
  doc.setLanguage(locale === "en" ? "en-GB" : "nl-NL");
  doc.setCreator("Meedoen");
  doc.setProducer("Meedoen");
  doc.setCreationDate(new Date(content.madeAt));
  doc.setModificationDate(new Date(content.madeAt));

  const body: Style = { font: regular, size: 10 };
  const small: Style = { font: regular, size: 9, color: muted };
  const strong: Style = { font: bold, size: 10 };
  const heading: Style = { font: bold, size: 13 };
  const hours = (minutes: number) => t("learning.hoursValue", { amount: formatHours(minutes, locale) });
  const period = content.year === null ? t("learning.period.all") : t("learning.period.year", { year: content.year });
  const w = new Writer(doc);

  w.text(`Meedoen · ${content.siteUrl}`, small, 4);
  w.text(t("learning.title"), { font: bold, size: 20 }, 6);
  w.text(`${t("learning.pdf.name")}: ${content.name}`, strong, 2);
  w.text(`${t("learning.pdf.period")}: ${period}`, body, 2);
  w.text(`${t("learning.pdf.madeOn")}: ${formatDate(content.madeAt, locale, content.timeZone)}`, body, 2);
  if (content.verifyUrl) w.text(`${t("learning.pdf.verify")}: ${content.verifyUrl}`, body, 2);
  else w.text(t("learning.pdf.noVerify"), small, 2);
  w.y -= 6;
  w.text(t("learning.notAccreditation"), strong, 4);
  w.text(t("learning.pdf.how"), small, 10);

  w.keep(80);
  w.text(t("learning.totals"), heading, 2);
  const columns = { year: 0, sessions: 260, hours: width };
  w.row([{ text: t("learning.year"), x: columns.year }, { text: t("learning.sessions"), x: columns.sessions, right: true }, { text: t("learning.hours"), x: columns.hours, right: true }], { ...small, font: bold });
  for (const y of content.record.years) {
    w.row([{ text: String(y.year), x: columns.year }, { text: String(y.sessions), x: columns.sessions, right: true }, { text: hours(y.minutes), x: columns.hours, right: true }], body);
  }
  w.line(4);
  w.row([{ text: t("learning.total"), x: columns.year }, { text: String(content.record.total.sessions), x: columns.sessions, right: true }, { text: hours(content.record.total.minutes), x: columns.hours, right: true }], strong);
  w.y -= 14;

  w.keep(60);
  w.text(t("learning.list"), heading, 4);
  if (!content.record.sessions.length) w.text(t("learning.pdf.empty"), body);
  for (const s of content.record.sessions) {
    const lines: [string, Style][] = [
      [`${formatTimeRange(s.startsAt, s.endsAt, locale, content.timeZone)} · ${hours(s.minutes)}`, strong],
      [s.initiative ? s.initiative.title : t("learning.hiddenInitiative"), { ...body, indent: 12 }],
      [`${t("learning.hosts")}: ${s.hosts.length ? s.hosts.map((h) => h.name).join(", ") : t("learning.noHosts")}`, { ...small, indent: 12 }],
      [s.attendance === "code" ? t("learning.attendance.code") : t("learning.attendance.host"), { ...small, indent: 12 }],
    ];
    if (s.methods.length) lines.push([`${t("learning.methods")}: ${s.methods.map((m) => m.title).join(", ")}`, { ...small, indent: 12 }]);
    // A session is kept on one page when it fits on one.
    w.keep(lines.reduce((sum, [text, style]) => sum + w.height(text, style), 0) + 8);
    for (const [text, style] of lines) w.text(text, style);
    w.y -= 8;
  }

  const footer = t("learning.pdf.footer", { name: content.name });
  w.pages.forEach((page, i) => {
    const pageText = `${t("learning.pdf.page", { page: i + 1, pages: w.pages.length })} · ${footer}`;
    const line = wrap(pageText, regular, 8, width)[0];
    page.drawText(line, { x: margin, y: margin - 20, size: 8, font: regular, color: muted });
  });
  return doc.save();
}
