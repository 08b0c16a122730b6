// User markdown is untrusted: marked turns it into HTML, sanitize-html then keeps only an
// allowlist of harmless elements and attributes. Nothing else reaches a page.
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { memoText } from "./text-cache.server";

const marked = new Marked({ gfm: true, breaks: true, async: false });

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

function render(source: string): string {
  const html = marked.parse(source) as string;
  // An <a> whose href was removed as unsafe is left without one: its text stays, inert.
  return sanitizeHtml(html, sanitizeOptions);
}

/** Safe HTML for user markdown. Rendered texts are kept (about 8 MB at most): rendering is pure. */
export const renderMarkdown = memoText(render, 4_000_000);
