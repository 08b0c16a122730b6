// Both Atom feeds, read over HTTP from the real server the way a feed reader reads them: well-formed
// XML with every element RFC 4287 requires (§4.1.1, §4.1.2), absolute links inside the entries,
// and pages that lead a reader to them (<link rel="alternate">).
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postOutcome } from "~/models/contributions.server";
import { initiativeBy } from "../support/fixtures";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;

beforeAll(async () => {
  const anna = await memberWithSession("Anna");
  const id = initiativeBy(anna.id, {
    title: "Taal & koffie <samen>",
    tags: "taal",
    body: "Lees eerst [de afspraken](/rules) en [het logboek](log). Zie [alles over taal](/?tag=taal), of [elders](https://example.org/a?b=1&c=2).",
  });
  postOutcome(id, anna.id, { body: "We oefenden **samen**; zie [de agenda](/agenda?view=list&x=1) en ![kaart](/favicon.svg).", sessionId: null });
  // The server opens this test's own database, which the models above wrote to.
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH! });
});

afterAll(async () => {
  await server?.stop();
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["entry", "author", "link"].includes(name), textNodeName: "#text" });
type Node = Record<string, unknown>;
const text = (node: unknown): string => (typeof node === "object" && node !== null ? String((node as Node)["#text"] ?? "") : String(node ?? ""));
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const absoluteIri = (value: string) => /^[a-z][a-z0-9+.-]*:/i.test(value) && !!new URL(value);

/** Every problem RFC 4287 would have with the feed, as readable lines. */
function atomProblems(xml: string, selfUrl: string): string[] {
  const problems: string[] = [];
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [`not well-formed: ${JSON.stringify(wellFormed.err)}`];
  const feed = parser.parse(xml).feed as Node | undefined;
  if (!feed) return ["no atom:feed root"];
  if (feed["@xmlns"] !== "http://www.w3.org/2005/Atom") problems.push("feed: not in the Atom namespace");
  if (!absoluteIri(text(feed.id))) problems.push(`feed: atom:id is not an absolute IRI: ${text(feed.id)}`);
  if (!text(feed.title)) problems.push("feed: no atom:title");
  if (!rfc3339.test(text(feed.updated))) problems.push(`feed: atom:updated is not a date-time: ${text(feed.updated)}`);
  const links = (feed.link as Node[] | undefined) ?? [];
  if (!links.some((l) => l["@rel"] === "self" && l["@href"] === selfUrl)) problems.push(`feed: no link rel="self" to ${selfUrl}`);
  if (!links.some((l) => (l["@rel"] ?? "alternate") === "alternate" && absoluteIri(String(l["@href"])))) problems.push("feed: no alternate link");
  const feedAuthors = (feed.author as Node[] | undefined) ?? [];
  const entries = (feed.entry as Node[] | undefined) ?? [];
  if (!entries.length) problems.push("feed: no entries to check");
  for (const [i, entry] of entries.entries()) {
    const where = `entry ${i + 1} (${text(entry.id)})`;
    if (!absoluteIri(text(entry.id))) problems.push(`${where}: atom:id is not an absolute IRI`);
    if (!text(entry.title)) problems.push(`${where}: no atom:title`);
    if (!rfc3339.test(text(entry.updated))) problems.push(`${where}: atom:updated is not a date-time`);
    const authors = (entry.author as Node[] | undefined) ?? [];
    // §4.1.1: an entry without an author takes the feed's; one of them must be there.
    if (!authors.length && !feedAuthors.length) problems.push(`${where}: no atom:author, and the feed has none`);
    for (const author of [...authors, ...feedAuthors]) if (!text(author.name)) problems.push(`${where}: an author without a name`);
    const entryLinks = (entry.link as Node[] | undefined) ?? [];
    if (!entry.content && !entryLinks.some((l) => (l["@rel"] ?? "alternate") === "alternate")) problems.push(`${where}: neither content nor an alternate link (§4.1.2)`);
    for (const link of entryLinks) if (!absoluteIri(String(link["@href"]))) problems.push(`${where}: a relative link ${String(link["@href"])}`);
    for (const part of ["content", "summary"] as const) {
      const value = entry[part] as Node | string | undefined;
      if (value === undefined) continue;
      const type = typeof value === "object" ? String(value["@type"] ?? "text") : "text";
      if (!["text", "html", "xhtml"].includes(type)) problems.push(`${where}: ${part} of type ${type}`);
      if (type === "html") {
        for (const [, url] of text(value).matchAll(/\b(?:href|src)="([^"]*)"/g)) {
          if (!absoluteIri(url)) problems.push(`${where}: ${part} holds a relative link ${url}`);
        }
      }
    }
  }
  return problems;
}

async function get(path: string) {
  const response = await fetch(server.url + path);
  expect(response.status, path).toBe(200);
  return response;
}

describe("the Atom feeds", () => {
  it("/feed.xml has every element RFC 4287 requires, and links that work away from the site", async () => {
    const response = await get("/feed.xml");
    expect(response.headers.get("Content-Type")).toContain("application/atom+xml");
    const xml = await response.text();
    expect(atomProblems(xml, `${server.url}/feed.xml`)).toEqual([]);
    // The member's relative links point at this site; the others stay as written.
    const origin = server.url;
    const content = (parser.parse(xml).feed.entry as Node[]).map((e) => text(e.content)).join("\n");
    expect(content).toContain(`href="${origin}/rules"`);
    expect(content).toContain(`href="${origin}/log"`);
    expect(content).toContain(`href="${origin}/?tag=taal"`);
    expect(content).toContain(`href="${origin}/agenda?view=list&amp;x=1"`);
    expect(content).toContain(`href="https://example.org/a?b=1&amp;c=2"`);
  });

  it("/log.xml has every element RFC 4287 requires, an author included", async () => {
    const xml = await (await get("/log.xml")).text();
    expect(atomProblems(xml, `${server.url}/log.xml`)).toEqual([]);
    const feed = parser.parse(xml).feed as Node;
    expect((feed.author as Node[]).map((a) => text(a.name))).toEqual(["Meedoen"]);
  });

  it("finds nothing wrong with a feed that lacks what RFC 4287 requires (the check itself)", () => {
    const broken = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>/x</id><title>t</title><updated>2026-01-01T00:00:00Z</updated><entry><id>urn:a</id><title>a</title><updated>2026-01-01T00:00:00Z</updated><content type="html">&lt;a href="/y"&gt;y&lt;/a&gt;</content></entry></feed>`;
    expect(atomProblems(broken, "http://localhost/x.xml")).toEqual([
      "feed: atom:id is not an absolute IRI: /x",
      'feed: no link rel="self" to http://localhost/x.xml',
      "feed: no alternate link",
      "entry 1 (urn:a): no atom:author, and the feed has none",
      "entry 1 (urn:a): content holds a relative link /y",
    ]);
  });
});

describe("feed discovery", () => {
  for (const [page, feed] of [
    ["/", "/feed.xml"],
    ["/log", "/log.xml"],
  ]) {
    it(`${page} names its feed for feed readers`, async () => {
      const html = await (await get(page)).text();
      const head = html.slice(0, html.indexOf("</head>"));
      const link = /<link[^>]*rel="alternate"[^>]*>/.exec(head)?.[0] ?? "";
      expect(link).toContain('type="application/atom+xml"');
      expect(link).toMatch(/title="[^"]+"/);
      const href = /href="([^"]+)"/.exec(link)?.[1] ?? "";
      expect(new URL(href, server.url + page).pathname).toBe(feed);
      expect((await get(new URL(href, server.url + page).pathname)).headers.get("Content-Type")).toContain("application/atom+xml");
    });
  }
});
