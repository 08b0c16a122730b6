// Two dictionaries with the same keys: Dutch (the default) and English. `nl` defines the keys;
// `en` must have every one of them (checked by the type and by tests/unit/i18n.test.ts).
import { en } from "./en";
import { nl } from "./nl";

export const locales = ["nl", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "nl";
export type MessageKey = keyof typeof nl;
export type Params = Record<string, string | number>;

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { nl, en };

export function isLocale(value: unknown): value is Locale {
  return value === "nl" || value === "en";
}

const pluralRules = { nl: new Intl.PluralRules("nl"), en: new Intl.PluralRules("en") };

// "{n, plural, one {# deelnemer} other {# deelnemers}}": the form for the number, "#" the number.
// A branch may hold plain placeholders ("{voices}"), no deeper nesting.
const pluralPattern = /\{(\w+), plural, one \{((?:[^{}]|\{\w+\})*)\} other \{((?:[^{}]|\{\w+\})*)\}\}/g;

// A message without a plural is kept split at its placeholders, the first time it is asked for:
// filling it in is then a few joins instead of a regular expression over the whole text (a page
// may fill in hundreds). Literal parts are at even places, names at odd ones.
const splitMessages = new Map<string, string[]>();

function split(text: string): string[] {
  let parts = splitMessages.get(text);
  if (!parts) splitMessages.set(text, (parts = text.split(/\{(\w+)\}/)));
  return parts;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text = dictionaries[locale][key] ?? dictionaries.nl[key] ?? key;
  if (!params) return text;
  if (!text.includes(", plural, ")) {
    const parts = split(text);
    let filled = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i];
      filled += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1];
    }
    return filled;
  }
  const counted = text.replace(pluralPattern, (whole, name: string, one: string, other: string) => {
    if (!(name in params)) return whole;
    const n = Number(params[name]);
    return (pluralRules[locale].select(n) === "one" ? one : other).replace(/#/g, String(params[name]));
  });
  return counted.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}
