// What members write (markdown) as clean plain text for mails and excerpts, and a mail's plain
// text as a simple, safe HTML document (its HTML part).
//
// Markdown goes through renderMarkdown first (bounded in time against hostile input, sanitised to
// a small allowlist of tags), and that HTML is read back as text: so a mail shows the same words,
// lists and links as the page does. Links become "text (url)".
//
// The HTML part is built from the text only: every character is escaped, blank lines make
// paragraphs, "- " lines make a list, every http(s) address becomes a link. So the two parts hold
// the same content and the same links.
import { escapeHtml, renderMarkdown } from "./markdown.server";
import { memoText } from "./text-cache.server";

// Markdown → plain text.

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== "#") return entities[name.toLowerCase()] ?? whole;
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Writes text with the line breaks and indentation that blocks ask for, and no more. */
class PlainText {
  private out = "";
  private breaks = 0;
  private lineStart = true;
  indent = "";

  get length() {
    return this.out.length;
  }

  slice(from: number) {
    return this.out.slice(from);
  }

  /** At least `lines` line breaks before what comes next (2: a blank line); none at the start. */
  block(lines: number) {
    if (this.out) this.breaks = Math.max(this.breaks, lines);
  }

  /** One more line break (in preformatted text, where blank lines count). */
  newline() {
    if (this.out) this.breaks++;
  }

  /** Inline text: runs of white space are one space, none at the start of a line. */
  text(value: string) {
    const text = value.replace(/\s+/g, " ");
    if (text === " ") {
      if (!this.lineStart && !this.breaks) this.out += " ";
      return;
    }
    this.write(text, true);
  }

  /** Text as it is (a list marker, a line of code). */
  raw(value: string) {
    this.write(value, false);
  }

  private write(value: string, trimStart: boolean) {
    if (!value) return;
    if (this.breaks || !this.out) {
      this.out = this.out.replace(/[ \t]+$/, "") + "\n".repeat(this.breaks) + this.indent;
      this.breaks = 0;
      this.lineStart = true;
    }
    let text = value;
    // No space at the start of a line, nor two in a row.
    if (trimStart && (this.lineStart || this.out.endsWith(" "))) text = text.replace(/^[ \t]+/, "");
    if (!text) return;
    this.out += text;
    this.lineStart = false;
  }

  toString() {
    return this.out
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .replace(/^\n+/, "")
      .trimEnd();
  }
}

const tagPattern = /<(\/?)([a-z][a-z0-9]*)([^>]*)>|([^<]+)|</gi;

/** Reads sanitised HTML (markdown.server.ts's small set of tags) back as plain text. */
function htmlToText(html: string): string {
  const w = new PlainText();
  const lists: { ordered: boolean; next: number; indent: string }[] = [];
  const links: { href: string; from: number }[] = [];
  const indents: string[] = [];
  let items = 0; // open list items
  let itemStart = false; // nothing written yet in the current list item
  let pre = 0;
  let cells = 0;
  for (const [, closing, rawName, attributes, text] of html.matchAll(tagPattern)) {
    if (rawName === undefined) {
      const value = decodeEntities(text ?? "<");
      if (pre) {
        value.split("\n").forEach((line, i) => {
          if (i) w.newline();
          w.raw(line);
        });
      } else w.text(value);
      if (value.trim()) itemStart = false;
      continue;
    }
    const name = rawName.toLowerCase();
    const close = closing === "/";
    switch (name) {
      case "p":
      case "h1":
      case "h2":
      case "h3":
      case "h4":
      case "h5":
      case "h6":
        // Paragraphs in a list item are lines of it; elsewhere blank lines apart.
        if (close) w.block(items ? 1 : 2);
        else if (!itemStart) w.block(items ? 1 : 2);
        break;
      case "br":
        w.block(1);
        break;
      case "hr":
        w.block(2);
        break;
      case "ul":
      case "ol":
        if (close) {
          const list = lists.pop();
          if (list) w.indent = list.indent;
          w.block(items ? 1 : 2);
        } else {
          const start = Number(/\sstart="(\d{1,9})"/.exec(attributes)?.[1] ?? 1);
          lists.push({ ordered: name === "ol", next: start, indent: w.indent });
          w.block(items ? 1 : 2);
        }
        break;
      case "li": {
        const list = lists[lists.length - 1];
        if (close) {
          items = Math.max(0, items - 1);
          break;
        }
        items++;
        w.block(1);
        const marker = list?.ordered ? `${list.next++}. ` : "- ";
        w.indent = list?.indent ?? "";
        w.raw(marker);
        // Further lines of the item line up with its text.
        w.indent = (list?.indent ?? "") + " ".repeat(marker.length);
        itemStart = true;
        break;
      }
      case "blockquote":
      case "pre":
        w.block(items ? 1 : 2);
        if (close) {
          w.indent = indents.pop() ?? "";
          if (name === "pre") pre = Math.max(0, pre - 1);
        } else {
          indents.push(w.indent);
          w.indent += name === "pre" ? "    " : "  ";
          if (name === "pre") pre++;
        }
        break;
      case "tr":
        w.block(1);
        cells = 0;
        break;
      case "td":
      case "th":
        if (!close && cells++) w.text(" | ");
        break;
      case "table":
        w.block(2);
        break;
      case "a":
        if (!close) {
          // An address is one word in the text: characters that cannot stand in one are escaped.
          const href = decodeEntities(/\shref="([^"]*)"/.exec(attributes)?.[1] ?? "").replace(/[\s"<>`]/g, (c) => encodeURIComponent(c));
          links.push({ href, from: w.length });
        } else {
          const link = links.pop();
          if (!link?.href) break;
          const label = w.slice(link.from).trim();
          // A mail address is shown without "mailto:".
          const shown = link.href.replace(/^mailto:/i, "");
          if (!label) w.text(shown);
          else if (label !== link.href && label !== shown) w.text(` (${shown})`);
        }
        break;
      default:
        // strong, em, del, code and the like: only their text counts.
        break;
    }
  }
  return w.toString();
}

/**
 * What a member wrote in markdown, as plain text: no `**`, `#` or `[text](url)` left, links as
 * "text (url)", paragraphs, lines and list items kept, raw HTML gone.
 */
export const markdownToText = memoText((markdown: string) => htmlToText(renderMarkdown(markdown)), 1_000_000);

/**
 * A short version of a text: at most `maxLines` lines and `maxChars` characters, cut between
 * words (never inside a web address), with "…" where it was cut.
 */
export function cutText(text: string, maxChars: number, maxLines = Number.POSITIVE_INFINITY): string {
  let cut = text;
  let shortened = false;
  const lines = cut.split("\n");
  if (lines.length > maxLines) {
    cut = lines.slice(0, maxLines).join("\n");
    shortened = true;
  }
  const chars = [...cut];
  if (chars.length > maxChars) {
    const next = chars[maxChars - 1];
    cut = chars.slice(0, maxChars - 1).join("");
    // Between words when that keeps at least half; else where it falls, minus a cut-off address.
    if (!/\s/.test(next)) {
      const space = cut.search(/\s\S*$/);
      cut = space > maxChars / 2 ? cut.slice(0, space) : cut.replace(/\(?https?:\/\/\S*$/, "");
    }
    shortened = true;
  }
  if (!shortened) return text;
  return `${cut.replace(/[\s(:;,–—-]+$/, "")}…`;
}

// Plain text → HTML.

/** The web addresses in a line, without the punctuation of the sentence around them. */
function webAddresses(line: string): { start: number; url: string }[] {
  const found: { start: number; url: string }[] = [];
  for (const match of line.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    let url = match[0];
    for (;;) {
      const trimmed = url.replace(/[.,;:!?'"]+$/, "");
      const open = trimmed.split("(").length;
      const closed = trimmed.split(")").length;
      url = closed > open && trimmed.endsWith(")") ? trimmed.slice(0, -1) : trimmed;
      if (url === trimmed) break;
    }
    if (/^https?:\/\/[^/?#]/.test(url)) found.push({ start: match.index, url });
  }
  return found;
}

const style = {
  body: "margin:0;padding:0;background-color:#ffffff;",
  article:
    "max-width:40em;margin:0 auto;padding:24px 16px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f1f1f;background-color:#ffffff;overflow-wrap:anywhere;word-wrap:break-word;",
  p: "margin:0 0 16px 0;",
  ul: "margin:0 0 16px 0;padding:0 0 0 24px;",
  li: "margin:0 0 8px 0;",
  a: "color:#0b57d0;text-decoration:underline;",
  hr: "border:0;border-top:1px solid #c4c4c4;margin:24px 0;",
  footer: "font-size:14px;color:#4a4a4a;",
};

/** One line: escaped, with its web addresses as links. */
function inlineHtml(line: string): string {
  let html = "";
  let at = 0;
  for (const { start, url } of webAddresses(line)) {
    html += `${escapeHtml(line.slice(at, start))}<a href="${escapeHtml(url)}" style="${style.a}">${escapeHtml(url)}</a>`;
    at = start + url.length;
  }
  return html + escapeHtml(line.slice(at));
}

/** Paragraphs (blank lines apart) and "- " lists; lines indented under an item belong to it. */
function blocksHtml(lines: string[]): string {
  const html: string[] = [];
  let paragraph: string[] = [];
  let list: string[][] = [];
  const flushParagraph = () => {
    if (paragraph.length) html.push(`<p style="${style.p}">${paragraph.map(inlineHtml).join("<br>\n")}</p>`);
    paragraph = [];
  };
  const flushList = () => {
    if (list.length) html.push(`<ul style="${style.ul}">\n${list.map((item) => `<li style="${style.li}">${item.map(inlineHtml).join("<br>\n")}</li>`).join("\n")}\n</ul>`);
    list = [];
  };
  for (const line of lines) {
    const item = /^- (.*)$/.exec(line);
    if (line.trim() === "") {
      flushParagraph();
      flushList();
    } else if (item) {
      flushParagraph();
      list.push([item[1]]);
    } else if (list.length && /^\s/.test(line)) {
      list[list.length - 1].push(line.trim());
    } else {
      flushList();
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  flushList();
  return html.join("\n");
}

/**
 * A mail's plain text as an HTML document in `lang`: the body, and what follows the "-- " line
 * (the footer) smaller, under a rule. Built from escaped text only.
 */
export function textToHtml(text: string, options: { lang: string; title: string }): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const signature = lines.lastIndexOf("-- ");
  const body = signature === -1 ? lines : lines.slice(0, signature);
  const footer = signature === -1 ? [] : lines.slice(signature + 1);
  const lang = escapeHtml(options.lang);
  const title = escapeHtml(options.title);
  return [
    "<!doctype html>",
    `<html lang="${lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    "</head>",
    `<body style="${style.body}">`,
    `<div role="article" aria-label="${title}" lang="${lang}" style="${style.article}">`,
    blocksHtml(body),
    ...(footer.length ? [`<hr style="${style.hr}">`, `<div style="${style.footer}">`, blocksHtml(footer), "</div>"] : []),
    "</div>",
    "</body>",
    "</html>",
  ].join("\n");
}
