import { defaultLocale, isLocale, translate, type Locale, type MessageKey } from "./index";

export const localeCookieName = "meedoen_lang";

/** Best match in Accept-Language, e.g. "en-GB,en;q=0.9,nl;q=0.8" → "en". */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { base: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { base } of ranked) if (isLocale(base)) return base;
  return null;
}

function cookieLocale(request: Request): Locale | null {
  const cookie = request.headers.get("Cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${localeCookieName}=(\\w+)`).exec(cookie);
  return match && isLocale(match[1]) ? match[1] : null;
}

/** The member's own setting, then the switch (a cookie), then the browser's languages. */
export function resolveLocale(request: Request, memberLocale: Locale | null | undefined): Locale {
  return memberLocale ?? cookieLocale(request) ?? localeFromAcceptLanguage(request.headers.get("Accept-Language")) ?? defaultLocale;
}

export function localeCookie(locale: Locale) {
  return `${localeCookieName}=${locale}; Path=/; Max-Age=${60 * 60 * 24 * 365}; SameSite=Lax`;
}

/**
 * A refusal from an address that sends a file (a calendar, a spreadsheet, a download): the reason
 * as one line of plain text in the reader's language, as a page would say it.
 */
export function textRefusal(request: Request, key: MessageKey, status: number, memberLocale?: Locale | null) {
  return new Response(`${translate(resolveLocale(request, memberLocale), key)}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
