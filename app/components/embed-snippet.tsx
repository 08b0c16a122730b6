// On an organisation's page: the code its web editor pastes to show the organisation's upcoming
// sessions on its own website (/embed/agenda in a frame), and the JSON Feed for sites that build
// their own list.
import { useRouteLoaderData } from "@remix-run/react";
import { useT } from "~/lib/i18n/react";

const attribute = (value: string) => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export function embedSnippet(origin: string, organisation: { name: string; slug: string }, frameTitle: string) {
  const src = `${origin}/embed/agenda?${new URLSearchParams({ organisation: organisation.slug })}`;
  return `<iframe src="${attribute(src)}" title="${attribute(frameTitle)}" loading="lazy" width="100%" height="480" style="border:0"></iframe>`;
}

export function EmbedSnippet({ organisation }: { organisation: { name: string; slug: string } }) {
  const t = useT();
  const origin = useRouteLoaderData<{ origin?: string }>("root")?.origin ?? "";
  const query = new URLSearchParams({ organisation: organisation.slug });
  const feed = `${origin}/agenda.json?${query}`;
  return (
    <section aria-labelledby="embed-heading">
      <h2 id="embed-heading">{t("embed.snippet.title")}</h2>
      <p id="embed-intro">{t("embed.snippet.intro", { name: organisation.name })}</p>
      <div className="field">
        <label htmlFor="embed-code">{t("embed.snippet.label")}</label>
        <textarea id="embed-code" readOnly rows={4} spellCheck={false} aria-describedby="embed-intro" value={embedSnippet(origin, organisation, t("embed.frameTitle", { name: organisation.name }))} />
      </div>
      <p>
        <a href={`/embed/agenda?${query}`}>{t("embed.snippet.preview")}</a>
      </p>
      <p className="hint">
        {t("embed.snippet.json")} <a href={`/agenda.json?${query}`}>{feed}</a>
      </p>
    </section>
  );
}
