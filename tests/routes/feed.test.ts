import { beforeAll, describe, expect, it } from "vitest";
import { createInitiative, initiativeInput, toFtsQuery } from "~/models/initiatives.server";
import { loader as feedLoader } from "~/routes/_index";
import { context, dataOf, getRequest, memberWithSession } from "../support/requests";

type Feed = { items: { id: number; title: string; hosts: { displayName: string }[] }[]; nextCursor: number | null };

async function feed(query = "") {
  return dataOf<Feed>(await feedLoader({ request: getRequest(`/${query}`), context, params: {} }));
}

const post = (memberId: string, fields: Record<string, string>) =>
  createInitiative(memberId, initiativeInput.parse({ summary: "Samenvatting", kind: "activity", ...fields }));

beforeAll(async () => {
  const anna = await memberWithSession("Anna", { organisation: "Bibliotheek" });
  post(anna.id, { title: "Coördinatie van vrijwilligers", tags: "vrijwilligers, coördinatie", kind: "course" });
  post(anna.id, { title: "Café over schuldhulp", body: "We praten over **financiële** zorgen.", tags: "armoede" });
  post(anna.id, { title: "Gezocht: ruimte voor taalles", kind: "request", tags: "taal", place: "Zwolle" });
  for (let i = 1; i <= 45; i++) post(anna.id, { title: `Buurtactiviteit ${i}`, tags: i % 3 ? "buurt" : "buurt, sport" });
});

describe("the feed", () => {
  it("is public and shows the newest initiatives first, with their hosts", async () => {
    const page = await feed();
    expect(page.items).toHaveLength(20);
    expect(page.items[0].title).toBe("Buurtactiviteit 45");
    expect(page.items[0].hosts[0].displayName).toBe("Anna");
    const ids = page.items.map((i) => i.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it("gives the browser only what its cards show: no host's id, no status, no dates", async () => {
    const page = dataOf<{ items: Record<string, unknown>[] }>(await feedLoader({ request: getRequest("/"), context, params: {} }));
    for (const item of page.items) {
      expect(Object.keys(item).sort()).toEqual(["cover", "hosts", "id", "kind", "place", "summary", "tagList", "title"]);
      for (const host of item.hosts as object[]) expect(Object.keys(host).sort()).toEqual(["displayName", "organisation"]);
    }
  });

  it("pages by keyset without repeating or skipping anything", async () => {
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page: Feed = await feed(cursor ? `?after=${cursor}` : "");
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(48);
    expect(new Set(seen).size).toBe(48);
  });

  it("filters by kind and by tag", async () => {
    expect((await feed("?kind=request")).items.map((i) => i.title)).toEqual(["Gezocht: ruimte voor taalles"]);
    expect((await feed("?kind=course")).items.map((i) => i.title)).toEqual(["Coördinatie van vrijwilligers"]);
    expect((await feed("?tag=sport")).items).toHaveLength(15);
    expect((await feed("?tag=Armoede")).items.map((i) => i.title)).toEqual(["Café over schuldhulp"]);
    // An unknown kind is ignored rather than an error.
    expect((await feed("?kind=<script>")).items).toHaveLength(20);
  });

  it("searches title, summary, body and tags, with or without diacritics", async () => {
    expect((await feed("?q=coordinatie")).items.map((i) => i.title)).toEqual(["Coördinatie van vrijwilligers"]);
    expect((await feed("?q=Coördinatie")).items.map((i) => i.title)).toEqual(["Coördinatie van vrijwilligers"]);
    expect((await feed("?q=cafe")).items.map((i) => i.title)).toEqual(["Café over schuldhulp"]);
    expect((await feed("?q=financiele")).items.map((i) => i.title)).toEqual(["Café over schuldhulp"]);
    expect((await feed("?q=armoede")).items.map((i) => i.title)).toEqual(["Café over schuldhulp"]);
    expect((await feed("?q=vrijwil")).items).toHaveLength(1);
    expect((await feed("?q=taal zwolle")).items).toHaveLength(0);
    expect((await feed("?q=taal ruimte")).items).toHaveLength(1);
    expect((await feed("?q=nergens")).items).toHaveLength(0);
  });

  it("combines search with filters and pages search results", async () => {
    expect((await feed("?q=buurtactiviteit&tag=sport")).items).toHaveLength(15);
    const first = await feed("?q=buurtactiviteit");
    expect(first.items).toHaveLength(20);
    const second = await feed(`?q=buurtactiviteit&after=${first.nextCursor}`);
    expect(second.items).toHaveLength(20);
    expect(second.items[0].id).toBeLessThan(first.items[19].id);
  });

  it("treats search operators and odd input as plain words", async () => {
    for (const q of ['"', "NEAR(", "title:x", "*", "a OR b", "-", "')--", "%", "😀", "\u0000"]) {
      const page = await feed(`?q=${encodeURIComponent(q)}`);
      expect(Array.isArray(page.items)).toBe(true);
    }
    expect(toFtsQuery('taal" OR title:*')).toBe('"taal"* "OR"* "title"*');
    expect(toFtsQuery("  ")).toBeNull();
  });
});
