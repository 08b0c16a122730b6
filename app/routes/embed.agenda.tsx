import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { EmbedAgendaDocument } from "~/components/embed-agenda";
import { originOf } from "~/lib/calendar.server";
import { env } from "~/lib/env.server";
import { defaultLocale, isLocale, translator } from "~/lib/i18n";
import { embedAgenda } from "~/models/agenda.server";
import embedStyles from "~/styles/embed.css";

// The agenda other websites frame (ADR 028): a whole document of its own, outside the app's layout,
// so no login cookie is read and none is set (not even the language: Dutch, or
// ?lang=en; the address alone decides what the page says, so every cache may keep it).
// The server lets any site frame this address only (app/lib/security.server.ts). An unknown
// organisation or venue is a 400 with a short explanation, visible to whoever pastes the snippet.
export function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const asked = params.get("lang");
  const locale = isLocale(asked) ? asked : defaultLocale;
  const t = translator(locale);
  const page = embedAgenda(params);
  const title = !page ? t("embed.title") : "name" in page.heading ? t(page.heading.key, { name: page.heading.name }) : t(page.heading.key);
  const html = renderToStaticMarkup(
    <EmbedAgendaDocument
      locale={locale}
      t={t}
      timeZone={env().TZ_COMMUNITY}
      origin={originOf(request)}
      stylesheet={embedStyles}
      title={title}
      sessions={page?.sessions ?? null}
      morePath={page?.morePath ?? "/agenda"}
    />,
  );
  return new Response(`<!DOCTYPE html>${html}`, {
    status: page ? 200 : 400,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=60", "Content-Language": locale },
  });
}
