import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaries, translate } from "~/lib/i18n";
import { localeFromAcceptLanguage, resolveLocale } from "~/lib/i18n/locale.server";

describe("filling in a message", () => {
  // The way messages were filled in before they were kept in pieces: two regular expressions over
  // the whole text. Every message must come out the same, but for one mended fault: the value for
  // a plural's "#" went through String.replace as a pattern ("$&" became "#"); it now goes in as
  // written, as every other value did already.
  const plural = /\{(\w+), plural, one \{((?:[^{}]|\{\w+\})*)\} other \{((?:[^{}]|\{\w+\})*)\}\}/g;
  const rules = { nl: new Intl.PluralRules("nl"), en: new Intl.PluralRules("en") };
  const byRegex = (locale: "nl" | "en", text: string, params: Record<string, string | number>) =>
    text
      .replace(plural, (whole, name: string, one: string, other: string) => (name in params ? (rules[locale].select(Number(params[name])) === "one" ? one : other).replace(/#/g, () => String(params[name])) : whole))
      .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));

  it("gives every message of both languages as before, with all, some or none of its values, twice", () => {
    for (const locale of ["nl", "en"] as const) {
      for (const [key, text] of Object.entries(dictionaries[locale]) as [keyof typeof dictionaries.nl, string][]) {
        const names = [...new Set([...text.matchAll(/\{(\w+)[},]/g)].map((m) => m[1]))];
        const cases = [Object.fromEntries(names.map((n, i) => [n, i % 2 ? `<${n}> $& {x}` : 1])), Object.fromEntries(names.slice(1).map((n) => [n, 7])), {}];
        for (const params of cases) {
          for (let round = 0; round < 2; round++) expect(translate(locale, key, params), `${locale} ${key}`).toBe(byRegex(locale, text, params));
        }
      }
    }
  });
});

describe("dictionaries", () => {
  const nlKeys = Object.keys(dictionaries.nl).sort();
  const enKeys = Object.keys(dictionaries.en).sort();

  it("have exactly the same keys in Dutch and English", () => {
    expect(enKeys.filter((k) => !nlKeys.includes(k))).toEqual([]);
    expect(nlKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
  });

  it("have no empty texts and the same placeholders in both languages", () => {
    for (const key of nlKeys as (keyof typeof dictionaries.nl)[]) {
      expect(dictionaries.nl[key].trim(), key).not.toBe("");
      expect(dictionaries.en[key].trim(), key).not.toBe("");
      const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(holes(dictionaries.en[key]), key).toEqual(holes(dictionaries.nl[key]));
    }
  });

  it("contain every key the app's source uses", () => {
    const used = new Set<string>();
    const namespaces = new Set(nlKeys.map((k) => k.split(".")[0]));
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.tsx?$/.test(name) && !file.includes(`${path.sep}i18n${path.sep}`)) {
          const source = readFileSync(file, "utf8");
          // t("key"), error: "key", form: "key", Key props: the places where a dictionary key is named.
          for (const m of source.matchAll(/(?:\bt\(|error:\s*|form:\s*|Key=|requiredText\([^,]+,\s*|Text\(\d[\w_]*,\s*|, )["'`]([a-z]+\.[\w.]+)["'`]/g)) {
            if (namespaces.has(m[1].split(".")[0])) used.add(m[1]);
          }
        }
      }
    };
    walk(path.resolve("app"));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((k) => !(k in dictionaries.nl))).toEqual([]);
  });

  it("fills in placeholders", () => {
    expect(translate("nl", "auth.retryAfter", { minutes: 5 })).toBe("Je kunt het over 5 minuten weer proberen.");
    expect(translate("en", "initiative.goesAheadWith", { n: 8 })).toBe("Goes ahead with 8 participants.");
  });
});

describe("choosing the language", () => {
  const request = (headers: Record<string, string>) => new Request("http://localhost/", { headers });

  it.each([
    ["en-GB,en;q=0.9,nl;q=0.8", "en"],
    ["nl-NL,nl;q=0.9,en;q=0.8", "nl"],
    ["de-DE,de;q=0.9,en;q=0.5", "en"],
    ["fr", null],
    ["en;q=0,nl", "nl"],
    ["", null],
  ])("Accept-Language %j gives %j", (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  it("prefers the member's setting, then the switch's cookie, then the browser, then Dutch", () => {
    expect(resolveLocale(request({ "Accept-Language": "en", Cookie: "meedoen_lang=en" }), "nl")).toBe("nl");
    expect(resolveLocale(request({ "Accept-Language": "nl", Cookie: "meedoen_lang=en" }), null)).toBe("en");
    expect(resolveLocale(request({ "Accept-Language": "en-US" }), null)).toBe("en");
    expect(resolveLocale(request({ "Accept-Language": "fr" }), null)).toBe("nl");
    expect(resolveLocale(request({ Cookie: "meedoen_lang=xx" }), null)).toBe("nl");
  });
});

describe("counted words", () => {
  it("take the singular for one and the plural otherwise, in both languages", () => {
    expect(translate("nl", "members.intro", { n: 1, voices: 1 })).toBe("1 deelnemer in het netwerk; 1 persoon heeft een stem.");
    expect(translate("nl", "members.intro", { n: 3, voices: 0 })).toBe("3 deelnemers in het netwerk; 0 mensen hebben een stem.");
    expect(translate("nl", "proposal.quorumText", { quorum: 1, eligible: 1 })).toBe("1 reactie nodig van de ene persoon die mag reageren");
    expect(translate("en", "proposal.quorumText", { quorum: 1, eligible: 1 })).toBe("1 response needed from the one person who may respond");
    expect(translate("en", "proposal.quorumText", { quorum: 3, eligible: 9 })).toBe("3 responses needed from the 9 people who may respond");
    expect(translate("nl", "initiative.goesAheadWith", { n: 1 })).toBe("Gaat door bij 1 deelnemer.");
    expect(translate("en", "session.message.sent", { n: 2 })).toBe("Your message was sent to 2 participants.");
    // The numerator of a fraction takes no noun of its own: "0 van de 6 mensen", not "0 mensen van de 6 mensen".
    expect(translate("nl", "interest.progress", { n: 0, target: 6 })).toBe("0 van de 6 mensen die nodig zijn");
    expect(translate("nl", "interest.progress", { n: 0, target: 1 })).toBe("0 van de 1 persoon die nodig is");
    expect(translate("en", "interest.progress", { n: 1, target: 6 })).toBe("1 of the 6 people needed");
  });

  it("leave no plural pattern unresolved in any message of either dictionary", () => {
    for (const locale of ["nl", "en"] as const) {
      for (const [key, text] of Object.entries(dictionaries[locale])) {
        if (!text.includes(", plural,")) continue;
        const names = [...text.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]);
        const params = Object.fromEntries(names.map((name) => [name, 1]));
        for (const n of [0, 1, 2]) {
          const out = translate(locale, key as never, Object.fromEntries(Object.keys(params).map((name) => [name, n])));
          expect(out, `${locale} ${key}`).not.toMatch(/plural|[{}#]/);
        }
      }
    }
  });
});
