import { useRouteLoaderData } from "@remix-run/react";
import { defaultLocale, translator, type Locale, type Translate } from "./index";

type RootData = { locale: Locale; timeZone: string };

export function useLocale(): Locale {
  return useRouteLoaderData<RootData>("root")?.locale ?? defaultLocale;
}

export function useTimeZone(): string {
  return useRouteLoaderData<RootData>("root")?.timeZone ?? "Europe/Amsterdam";
}

export function useT(): Translate {
  return translator(useLocale());
}
