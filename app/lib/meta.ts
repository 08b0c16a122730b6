import type { MetaDescriptor } from "@remix-run/node";
import { isRouteErrorResponse } from "@remix-run/react";
import { defaultLocale, translate, type Locale, type MessageKey } from "./i18n";

type Match = { id: string; data: unknown };

export type Description = { key: MessageKey } | { text: string };

/**
 * A page title in the reader's language ("Inloggen · Meedoen") and the page's description, the
 * line search engines show under it: the page's own, or what Meedoen is.
 */
export function titleMeta(matches: Match[], key: MessageKey | null, text?: string, description?: Description): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Locale } | undefined;
  const locale = root?.locale ?? defaultLocale;
  const title = text ?? (key ? translate(locale, key) : "");
  const line = description && "text" in description && description.text.trim() ? description.text : translate(locale, description && "key" in description ? description.key : "meta.description");
  return [{ title: title ? `${title} · Meedoen` : "Meedoen" }, { name: "description", content: shorten(line.replace(/\s+/g, " ").trim(), 200) }];
}

/** An error page's title: not found, or something went wrong (a refusal too). */
export function errorMeta(matches: Match[], error: unknown): MetaDescriptor[] {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return titleMeta(matches, status === 404 ? "error.notFound.title" : "error.title");
}

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

type ShareCard = {
  title: string;
  description: string;
  path: string;
  /** The page's own picture (a cover), or its generated card (1200 × 630). */
  image: { path: string; width: number; height: number; alt?: string };
  type?: "website" | "article" | "profile";
};

/**
 * Open Graph and Twitter card tags, so that a link pasted in a chat app shows a card with the
 * title, the summary and a picture. Addresses must be absolute: the root loader gives the
 * site's own origin.
 */
export function shareMeta(matches: Match[], card: ShareCard): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Locale; origin?: string } | undefined;
  const origin = root?.origin ?? "";
  const url = `${origin}${card.path}`;
  const image = `${origin}${card.image.path}`;
  const description = shorten(card.description, 200);
  return [
    { property: "og:site_name", content: "Meedoen" },
    { property: "og:type", content: card.type ?? "website" },
    { property: "og:title", content: card.title },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    { property: "og:image", content: image },
    { property: "og:image:width", content: String(card.image.width) },
    { property: "og:image:height", content: String(card.image.height) },
    ...(card.image.alt ? [{ property: "og:image:alt", content: card.image.alt }, { name: "twitter:image:alt", content: card.image.alt }] : []),
    { property: "og:locale", content: root?.locale === "en" ? "en_GB" : "nl_NL" },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: card.title },
    { name: "twitter:description", content: description },
    { name: "twitter:image", content: image },
  ];
}

/**
 * The generated card for a page without a picture of its own (see preview.server.ts); `alt` says
 * what it shows, for people who cannot see it.
 */
export const previewCard = (path: string, alt: string) => ({ path: `${path}/preview.png`, width: 1200, height: 630, alt });
