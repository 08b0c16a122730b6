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

// A message is kept in pieces the first time it is asked for: literal text, placeholders, and
// plurals with their two branches. Filling it in is then a few joins instead of regular
// expressions over the whole text (a page may fill in hundreds).
type Piece = string | { name: string } | { plural: string; one: Piece[]; other: Piece[]; whole: Piece[] };
const compiled = new Map<string, Piece[]>();

/** Text with plain placeholders, and "#" standing for `count` (inside a plural's branch). */
function placeholders(text: string, count?: string): Piece[] {
  const pieces: Piece[] = [];
  text.split(/\{(\w+)\}/).forEach((part, i) => {
    if (i % 2) pieces.push({ name: part });
    else if (count === undefined) pieces.push(part);
    else part.split("#").forEach((literal, k) => (k ? pieces.push({ name: count }, literal) : pieces.push(literal)));
  });
  return pieces;
}

function compile(text: string): Piece[] {
  let pieces = compiled.get(text);
  if (pieces) return pieces;
  pieces = [];
  let at = 0;
  for (const match of text.matchAll(pluralPattern)) {
    pieces.push(...placeholders(text.slice(at, match.index)));
    const [, name, one, other] = match;
    // Without its number the plural stays as written, with its placeholders filled in.
    pieces.push({ plural: name, one: placeholders(one, name), other: placeholders(other, name), whole: placeholders(match[0]) });
    at = match.index + match[0].length;
  }
  pieces.push(...placeholders(text.slice(at)));
  compiled.set(text, pieces);
  return pieces;
}

// Plural forms by number: Intl's answer is the same every time, and costs a microsecond.
const forms = { nl: new Map<number, string>(), en: new Map<number, string>() };

function pluralForm(locale: Locale, n: number): string {
  let form = forms[locale].get(n);
  if (form === undefined) {
    form = pluralRules[locale].select(n);
    if (forms[locale].size < 10_000) forms[locale].set(n, form);
  }
  return form;
}

function fill(pieces: Piece[], params: Params, locale: Locale): string {
  let filled = "";
  for (const piece of pieces) {
    if (typeof piece === "string") filled += piece;
    else if ("name" in piece) filled += piece.name in params ? String(params[piece.name]) : `{${piece.name}}`;
    else if (!(piece.plural in params)) filled += fill(piece.whole, params, locale);
    else filled += fill(pluralForm(locale, Number(params[piece.plural])) === "one" ? piece.one : piece.other, params, locale);
  }
  return filled;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text = dictionaries[locale][key] ?? dictionaries.nl[key] ?? key;
  return params ? fill(compile(text), params, locale) : text;
}

export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}
