import type { MetaDescriptor } from "@remix-run/node";
import { defaultLocale, translate, type Locale, type MessageKey } from "./i18n";

type Match = { id: string; data: unknown };

/** A page title in the reader's language: "Inloggen · Meedoen". */
export function titleMeta(matches: Match[], key: MessageKey | null, text?: string): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Locale } | undefined;
  const locale = root?.locale ?? defaultLocale;
  const title = text ?? (key ? translate(locale, key) : "");
  return [{ title: title ? `${title} · Meedoen` : "Meedoen" }];
}
