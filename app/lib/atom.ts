// The feed package marks titles and summaries type="html": a feed reader renders them as HTML.
// Text from members is escaped first, so "A & B <script>" reads as written and runs nothing.
export const asHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Links inside an entry's HTML made absolute: a feed reader shows the entry away from the site, so
 * "/?tag=taal" would point nowhere (RFC 4287 allows xml:base, which many readers ignore).
 */
export function absoluteLinks(html: string, origin: string): string {
  return html.replace(/\b(href|src)="([^"]*)"/g, (whole, attribute: string, value: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return whole;
    try {
      return `${attribute}="${new URL(value.replace(/&amp;/g, "&"), `${origin}/`).toString().replace(/&/g, "&amp;")}"`;
    } catch {
      return whole;
    }
  });
}
