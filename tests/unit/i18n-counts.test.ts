// Every message that takes a count says "1 deelnemer" and "2 deelnemers", never "1 deelnemers".
// Messages are found by their placeholders, not by a list of keys: every placeholder name in the
// dictionaries is classified below, so a new name fails this test until someone says what it holds.
import { describe, expect, it } from "vitest";
import { dictionaries, translate, type MessageKey } from "~/lib/i18n";

/** Placeholders that hold a count of something: they must sit inside a plural pattern. */
const counts = new Set([
  "n", "count", "registered", "capacity", "voices", "quorum", "eligible", "minutes", "seconds", "hours", "days",
  "max", "min", "messages", "witnesses", "target", "lazy", "void", "age", "pending", "small", "initiatives",
  "comments", "organisations", "links", "shown", "total", "earned", "needed", "rows", "withVoice", "without", "missing",
]);
/**
 * Placeholders that hold a number that counts nothing (a place in a queue, a week number, an id, a
 * percentage, a version, a page, a year, a tally after a label, a total shown bare after "van"), or
 * an amount of learning hours formatted with one decimal ("1,0 uur", "1.0 hours": a decimal takes
 * the plural in English).
 */
const labels = new Set(["position", "id", "week", "share", "version", "page", "pages", "year", "tally", "outOf", "amount", "amountThen", "amountNow"]);
/** Placeholders that hold words. */
const words = new Set([
  "a", "b", "date", "email", "error", "forgot", "from", "to", "host", "login", "message", "name", "names",
  "organisation", "place", "q", "rule", "settings", "tag", "title", "until", "url", "when", "zone", "reason", "time",
  "answers", "field", "month", "period", "range", "label", "inviter",
]);

const pluralPattern = /\{(\w+), plural, one \{((?:[^{}]|\{\w+\})*)\} other \{((?:[^{}]|\{\w+\})*)\}\}/g;
const placeholdersOf = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:,|\})/g)].map((m) => m[1]))];

const locales = ["nl", "en"] as const;
const keys = Object.keys(dictionaries.nl) as MessageKey[];
const counted = keys.filter((key) => locales.some((l) => placeholdersOf(dictionaries[l][key]).some((name) => counts.has(name))));

describe("messages that take a count", () => {
  it("use placeholder names this test knows", () => {
    const unknown = new Set<string>();
    for (const l of locales) for (const key of keys) for (const name of placeholdersOf(dictionaries[l][key])) if (!counts.has(name) && !labels.has(name) && !words.has(name)) unknown.add(`${name} (${l} ${key})`);
    expect([...unknown]).toEqual([]);
  });

  it("are found", () => {
    expect(counted).toContain("session.participants.count");
    expect(counted).toContain("proposal.quorumText");
    expect(counted.length).toBeGreaterThan(30);
  });

  it.each(counted.flatMap((key) => locales.map((l) => [l, key] as const)))("%s %s puts every count inside a plural pattern", (l, key) => {
    const text = dictionaries[l][key];
    // "{registered} van {capacity, plural, …}", "{n} van de {target, plural, …}": the numerator of a fraction takes the noun of the whole.
    const fractionless = text.replace(/\{\w+\} (?:van|of)(?: de| the)? (?=\{\w+, plural)/g, "");
    const outside = placeholdersOf(fractionless.replace(pluralPattern, (_, _name: string, one: string, other: string) => `${one} ${other}`)).filter((name) => counts.has(name));
    expect(outside, text).toEqual([]);
  });

  it.each(counted.flatMap((key) => locales.map((l) => [l, key] as const)))("%s %s reads right with 0, 1 and 2", (l, key) => {
    const names = placeholdersOf(dictionaries[l][key]);
    const outputs = [0, 1, 2].map((n) => translate(l, key, Object.fromEntries(names.map((name) => [name, counts.has(name) || labels.has(name) ? n : "X"]))));
    for (const out of outputs) expect(out).not.toMatch(/plural|[{}#]/);
    // "1 deelnemers", "1 responses", "1 dagen": a one followed by a plural noun.
    const pluralAfterOne = l === "nl" ? /\b1 (\w+(en|s)|mensen|uur en)\b/ : /\b1 (\w+s|people)\b/;
    const singulars = l === "nl" ? /\b1 (keer|plaats|reactie|persoon|mens|organisatie|deelnemer|getuige|initiatief|verband|dag|week|minuut|seconde|plek|bericht|inschrijving|bijeenkomst|stem|oprichter|uur|teken|werkvorm|lijn|minuut)\b/g : /\b1 (is|was|has|witness|different witness)\b/g;
    const one = outputs[1].replace(singulars, "1 ok");
    expect(one).not.toMatch(pluralAfterOne);
  });
});
