// User markdown is untrusted: marked turns it into HTML, sanitize-html then keeps only an
// allowlist of harmless elements and attributes. Nothing else reaches a page.
//
// Untrusted also means hostile (issue 12): a few thousand nested `>` overflowed marked's stack
// and `_a` repeated made it scan the rest of the paragraph for every `_`, for seconds. So every
// text is rendered in bounded time, on the main thread, in four steps:
//  1. Before marked sees it, each line keeps at most `depth` container markers (`>`, list
//     markers) and `indent` columns of leading whitespace, and no run of spaces longer than
//     `spaceRun`: deeper markers are escaped and shown as they are. (Lines in code blocks are
//     bounded alike: a rare, visible change there, never a loss of text.)
//  2. Each run of inline text marked finds (a paragraph, heading, list item or table cell) keeps
//     at most a few dozen of each character that starts an inline construct (`*`, `_`, `[`, `<`,
//     `https://`…; more in a short run): the rest become character references, shown as they
//     are. So no run can make marked scan it once per character.
//  3. marked runs against a deadline (`budgetMs`), checked at every step of its lexers; a text
//     too long or with too many lines for that (`length`, `lines`), or whose HTML has too many
//     tags for sanitize-html to clean quickly (`tags`), is not tried or not kept.
//  4. A text that cannot be rendered (too big, over the deadline, or marked throws) is shown as
//     plain text: escaped, its paragraphs and line breaks kept. It never fails its page.
// The limits are far above what people write; tests/bench/markdown.ts measures the worst inputs
// at every field's maximum length (the target: at most 50 ms each).
import { createHash } from "node:crypto";
import { Lexer, Marked, type MarkedOptions, type TokensList } from "marked";
import sanitizeHtml from "sanitize-html";
import { memoText } from "./text-cache.server";

export const markdownBounds = {
  /** Container markers (`>`, `-`, `1.`…) a line may open; deeper ones are shown as text. */
  depth: 8,
  /** Columns of leading whitespace a line keeps (tabs count 4): nested lists, and code in them. */
  indent: 40,
  /** Spaces or tabs in a row inside a line. */
  spaceRun: 32,
  /**
   * How often each inline mark may appear in one run of inline text: `inlineWork / length`, at
   * least `inlineMarks.min` and at most `inlineMarks.max`. Beyond it the mark is plain text.
   */
  inlineMarks: { min: 32, max: 1_000 },
  inlineWork: 200_000,
  /** Characters in a text (every field allows 20,282 at most): more and it is plain text without trying. */
  length: 50_000,
  /** Lines in a text: more and it is shown as plain text without trying. */
  lines: 1_000,
  /** Tags in marked's HTML: more and sanitize-html would take too long, so plain text. */
  tags: 5_000,
  /**
   * Time marked may take for one text (ms of wall clock and of CPU); a text that needs more is plain
   * text. The bounds above keep every text far below it (the worst inputs take under 30 ms): this
   * is the safety net, set well above that so that an ordinary text on a busy machine (where
   * process CPU time also counts other threads) is never shown as plain text by chance.
   */
  budgetMs: 250,
} as const;

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // The page's own h1 is the title: headings inside user text start at h2.
  transformTags: {
    h1: "h2",
    h5: "h4",
    h6: "h4",
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow noopener noreferrer ugc" },
    }),
    // Remote images would tell a third party who reads the page: show them as links.
    img: (_tagName, attribs) => ({
      tagName: "a",
      attribs: { href: attribs.src ?? "", rel: "nofollow noopener noreferrer ugc" },
      text: attribs.alt || attribs.src || "",
    }),
  },
};

// 1. Lines: nesting depth, indentation and runs of spaces.

const isDigit = (c: number) => c >= 48 && c <= 57;
const isBlank = (c: number) => c === 32 || c === 9;

/** Is line[from..] a thematic break made of line[from] (`- - -`, `***`)? Then its markers are no list. */
function isRule(line: string, from: number): boolean {
  const mark = line.charCodeAt(from);
  let marks = 0;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === mark) marks++;
    else if (!isBlank(c)) return false;
  }
  return marks >= 3;
}

const longSpaceRun = new RegExp(`[ \\t]{${markdownBounds.spaceRun + 1},}`, "g");

function boundLine(line: string): string {
  const { depth, indent: maxIndent, spaceRun } = markdownBounds;
  let prefix = "";
  let markers = 0;
  let indent = 0;
  let i = 0;
  const n = line.length;
  // The container prefix: whitespace, `>` and list markers, in any order.
  while (i < n) {
    const c = line.charCodeAt(i);
    if (isBlank(c)) {
      indent += c === 9 ? 4 : 1;
      if (indent <= maxIndent) prefix += line[i];
      i++;
      continue;
    }
    let end = -1; // the index of the marker's last character
    if (c === 62 /* > */) end = i;
    else if (c === 45 /* - */ || c === 43 /* + */ || c === 42 /* * */) {
      if (i + 1 < n && !isBlank(line.charCodeAt(i + 1))) break;
      if (c !== 43 && isRule(line, i)) break;
      end = i;
    } else if (isDigit(c)) {
      let j = i;
      while (j < n && j - i < 10 && isDigit(line.charCodeAt(j))) j++;
      const punct = line.charCodeAt(j);
      if (j - i > 9 || (punct !== 46 /* . */ && punct !== 41 /* ) */)) break;
      if (j + 1 < n && !isBlank(line.charCodeAt(j + 1))) break;
      end = j;
    } else break;
    if (++markers > depth) {
      // Escaped, the marker and all that follows are the text of the deepest container.
      prefix += `${line.slice(i, end)}\\${line[end]}`;
      i = end + 1;
      break;
    }
    prefix += line.slice(i, end + 1);
    i = end + 1;
  }
  const rest = line.slice(i);
  return prefix + (rest.length > spaceRun ? rest.replace(longSpaceRun, (run) => run.slice(0, spaceRun)) : rest);
}

function boundLines(lines: string[]): string {
  return lines.map(boundLine).join("\n");
}

// 2. Inline runs: how often each mark may appear.

/** The characters that start an inline construct, and how each is written when it may not. */
const inlineMarks: Record<string, string> = {
  "*": "&#42;",
  _: "&#95;",
  "~": "&#126;",
  "[": "&#91;",
  "]": "&#93;",
  "!": "&#33;",
  "<": "&lt;",
  "`": "&#96;",
  "\\": "&#92;",
  "@": "&#64;", // e-mail addresses become links
};
/**
 * Bare links (`https://…`, `www.…`) count as marks too, where marked would start one: not inside
 * a bare link it makes already (up to the next space or `<`), and `www.` only after a space, `*`,
 * `_`, `~` or `(`. Over the limit, their first character is written differently.
 */
const linkStarts: Record<string, string> = { "://": "&#58;", "www.": "&#119;" };
const linkScheme = /(?:https?|ftp)$/i;
const beforeWww = /[\s*_~(]/;
const asciiPunctuation = /[!-/:-@[-`{-~]/;

/** How often each mark may appear in a run of inline text this long. */
export function inlineMarksAllowed(length: number): number {
  const { min, max } = markdownBounds.inlineMarks;
  return Math.max(min, Math.min(max, Math.floor(markdownBounds.inlineWork / Math.max(1, length))));
}

function boundInline(src: string): string {
  const allowed = inlineMarksAllowed(src.length);
  let over = false;
  for (const mark of [...Object.keys(inlineMarks), ...Object.keys(linkStarts)]) {
    let count = 0;
    for (let at = src.indexOf(mark); at !== -1 && count <= allowed; at = src.indexOf(mark, at + 1)) count++;
    if (count > allowed) over = true;
  }
  if (!over) return src;
  const seen: Record<string, number> = {};
  let out = "";
  let from = 0;
  let inLink = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (inLink && (ch === "<" || /\s/.test(ch))) inLink = false;
    let mark = inlineMarks[ch] === undefined ? undefined : ch;
    if (ch === ":" && !inLink && src.startsWith("://", i) && linkScheme.test(src.slice(Math.max(0, i - 5), i))) mark = "://";
    else if (ch === "w" && !inLink && src.startsWith("www.", i) && (i === 0 || beforeWww.test(src[i - 1]))) mark = "www.";
    if (mark === undefined) continue;
    seen[mark] = (seen[mark] ?? 0) + 1;
    if (seen[mark] > allowed) {
      out += src.slice(from, i) + (inlineMarks[mark] ?? linkStarts[mark]);
      from = i + 1;
    } else if (mark === "://" || mark === "www.") {
      inLink = true;
    } else if (ch === "\\" && i + 1 < src.length && asciiPunctuation.test(src[i + 1])) {
      // An escape: the character after it is plain text already. (Over the limit, the backslash
      // itself became plain text above, so the next character is counted like any other.)
      i++;
    }
  }
  return out + src.slice(from);
}

// 3. marked, with the bounded inline runs and a deadline.

// The deadline is on the wall clock, but a text is only given up when the process has also used
// that much CPU time since it started: on a busy machine a text that waited for the CPU is not
// cut short (and remembered as plain text) for what others did.
class OverBudget extends Error {}
let deadline = Number.POSITIVE_INFINITY;
let cpuAtStart: NodeJS.CpuUsage | undefined;
let steps = 0;
function step() {
  if ((++steps & 15) !== 0 || performance.now() <= deadline) return;
  const used = process.cpuUsage(cpuAtStart);
  if ((used.user + used.system) / 1000 > markdownBounds.budgetMs) throw new OverBudget("markdown rendering over its time budget");
}

/**
 * What Lexer.lex does (marked 18), with each run of inline text bounded before it is lexed. The
 * ordinary-markdown tests in tests/unit/markdown.test.ts notice if a new marked lexes otherwise.
 */
function lexBounded(src: string, options?: MarkedOptions): TokensList {
  const lexer = new Lexer(options);
  lexer.blockTokens(src, lexer.tokens);
  for (const run of lexer.inlineQueue) {
    lexer.state.inRawBlock = false;
    lexer.inlineTokens(boundInline(run.src), run.tokens);
    step();
  }
  lexer.inlineQueue = [];
  return lexer.tokens;
}

const marked = new Marked({ gfm: true, breaks: true, async: false });
marked.use({
  // Called at every step of the block and inline lexers; they never make a token themselves.
  extensions: [
    { name: "deadline-block", level: "block", tokenizer: () => void step() },
    { name: "deadline-inline", level: "inline", tokenizer: () => void step() },
  ],
  hooks: { provideLexer: () => lexBounded as unknown as typeof Lexer.lexInline },
});

// 4. Plain text, when markdown cannot be rendered.

/** Text as HTML text or a quoted attribute's value. */
export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The text as paragraphs (split at blank lines) with its line breaks: safe HTML, made in linear time. */
export function plainTextHtml(text: string): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === "") {
      if (current.length) paragraphs.push(`<p>${current.join("<br />\n")}</p>`);
      current = [];
    } else current.push(escapeHtml(line));
  }
  if (current.length) paragraphs.push(`<p>${current.join("<br />\n")}</p>`);
  return paragraphs.join("\n");
}

// Rendering.

export type MarkdownResult = {
  html: string;
  /** Why the text is shown as plain text, or null when it was rendered as markdown. */
  fallback: null | "length" | "lines" | "time" | "tags" | "error";
};

function countTags(html: string, limit: number): number {
  let count = 0;
  for (let at = html.indexOf("<"); at !== -1 && count <= limit; at = html.indexOf("<", at + 1)) count++;
  return count;
}

/** Renders user markdown to safe HTML and says whether it had to fall back to plain text. */
export function explainMarkdown(text: string): MarkdownResult {
  if (text.length > markdownBounds.length) return { html: plainTextHtml(text), fallback: "length" };
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > markdownBounds.lines) return { html: plainTextHtml(text), fallback: "lines" };
  let html: string;
  deadline = performance.now() + markdownBounds.budgetMs;
  cpuAtStart = process.cpuUsage();
  try {
    html = marked.parse(boundLines(lines)) as string;
  } catch (error) {
    // Over the deadline, or marked failed (it must not, but then the page still shows the text).
    return { html: plainTextHtml(text), fallback: error instanceof OverBudget ? "time" : "error" };
  } finally {
    deadline = Number.POSITIVE_INFINITY;
  }
  if (countTags(html, markdownBounds.tags) > markdownBounds.tags) return { html: plainTextHtml(text), fallback: "tags" };
  // An <a> whose href was removed as unsafe is left without one: its text stays, inert.
  // sanitize-html takes about a microsecond per character reference and escapes the text again
  // itself, so `>` and `'` (never needed as references in marked's text or double-quoted
  // attributes) are given to it as they are: a text of 10,000 `>` is cleaned ten times faster.
  return { html: sanitizeHtml(html.replaceAll("&gt;", ">").replaceAll("&#39;", "'"), sanitizeOptions), fallback: null };
}

// A text given up on for time is not memoised with the rest (on a busy machine an ordinary text
// could be given up on too, and must not stay plain text): for ten minutes it is shown as plain
// text at once, without trying (so a hostile text costs its budget once, not on every view), then
// tried again. Remembered by a hash, for the last thousand such texts.
const gaveUp = new Map<string, number>();
const retryAfterMs = 10 * 60_000;
let lastGaveUp = false;

function render(source: string): string {
  const key = createHash("sha256").update(source).digest("base64");
  const since = gaveUp.get(key);
  lastGaveUp = since !== undefined && Date.now() - since < retryAfterMs;
  if (lastGaveUp) return plainTextHtml(source);
  const result = explainMarkdown(source);
  lastGaveUp = result.fallback === "time";
  gaveUp.delete(key);
  if (lastGaveUp) {
    gaveUp.set(key, Date.now());
    if (gaveUp.size > 1_000) gaveUp.delete(gaveUp.keys().next().value!);
  }
  return result.html;
}

/**
 * Safe HTML for user markdown, in bounded time. Rendered texts are kept (about 8 MB at most):
 * rendering is pure, except for texts given up on for time.
 */
export const renderMarkdown = memoText(render, 4_000_000, { keep: () => !lastGaveUp });
