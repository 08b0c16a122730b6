// Learning hours (issue 15): stored as minutes, typed and shown as hours in the reader's language
// ("2,5" in Dutch, "2.5" in English). Shared by the pages, the PDF and the session form.

/** The most learning hours one session can give (a host types at most this). */
export const maxLearningHours = 24;

const oneDecimal = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions) {
  const key = locale + JSON.stringify(options);
  let made = oneDecimal.get(key);
  if (!made) oneDecimal.set(key, (made = new Intl.NumberFormat(locale === "en" ? "en-GB" : "nl-NL", options)));
  return made;
}

/** Minutes as hours with one decimal: 150 → "2,5" (nl), "2.5" (en). */
export function formatHours(minutes: number, locale: string): string {
  return numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(minutes / 60);
}

/** Minutes as a host would type them back into the form: 150 → "2,5", 120 → "2", 75 → "1,25". */
export function hoursInput(minutes: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 2, useGrouping: false }).format(minutes / 60);
}

/**
 * What a host typed: "" or nothing is null (the session's length); "2,5", "2.5" and "2" are
 * minutes; anything else ("-1", "25", "1e9", "abc", ",5") is NaN. At most two decimals.
 */
export function parseLearningHours(value: string | undefined): number | null {
  const typed = (value ?? "").trim();
  if (!typed) return null;
  const match = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(typed);
  if (!match) return Number.NaN;
  const hours = Number(`${match[1]}.${match[2] ?? "0"}`);
  if (hours > maxLearningHours) return Number.NaN;
  return Math.round(hours * 60);
}
