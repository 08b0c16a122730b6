import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { KindBadge } from "~/components/initiative-card";
import { ModeText, PlacesText } from "~/components/session-list";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatTimeRange } from "~/lib/time";
import { upcomingSessions } from "~/models/sessions.server";
import { getMember } from "~/lib/auth.server";
import { hostedSessionIds } from "~/models/host-tools.server";
import { HostSessionTools } from "~/components/host-tools";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "agenda.title", undefined, { key: "meta.description.agenda" });

const kinds = ["course", "activity", "request"] as const;
// ?mode=online or ?mode=onsite; a session both on site and online is in both.
const modes = ["onsite", "online"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const params = new URL(request.url).searchParams;
  const q = (params.get("q") ?? "").slice(0, 200).trim();
  const kind = kinds.find((k) => k === params.get("kind"));
  const mode = modes.find((m) => m === params.get("mode"));
  const tag = (params.get("tag") ?? "").trim().toLocaleLowerCase("nl").slice(0, 40) || undefined;
  // Keyset cursor "<startsAt>-<id>": the last session of the previous page.
  const cursor = /^(\d{1,15})-(\d{1,15})$/.exec(params.get("after") ?? "");
  const after = cursor ? { startsAt: Number(cursor[1]), id: Number(cursor[2]) } : undefined;
  const page = upcomingSessions({ q: q || undefined, kind, tag, mode, after });
  // A host sees their tools on their own sessions (visitors' pages stay the same for everyone).
  const hosting = member ? hostedSessionIds(member.id, page.items.map((s) => s.id)) : [];
  return { ...page, hosting, filter: { q, kind: kind ?? "", mode: mode ?? "", tag: tag ?? "" }, isFirstPage: !after };
}

export default function Agenda() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { items, next, filter, isFirstPage, hosting } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v));
  const nextParams = new URLSearchParams(params);
  if (next) nextParams.set("after", `${next.startsAt}-${next.id}`);
  return (
    <>
      <h1>{t("agenda.title")}</h1>
      <p className="lead">{t("agenda.intro")}</p>
      <Form method="get" className="search" role="search" aria-label={t("feed.search.label")}>
        <div className="field">
          <label htmlFor="q">{t("feed.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} />
        </div>
        <div className="field">
          <label htmlFor="kind">{t("feed.kind")}</label>
          <select id="kind" name="kind" defaultValue={filter.kind}>
            <option value="">{t("feed.kind.all")}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="mode">{t("agenda.mode")}</label>
          <select id="mode" name="mode" defaultValue={filter.mode}>
            <option value="">{t("agenda.mode.all")}</option>
            <option value="onsite">{t("agenda.mode.onsite")}</option>
            <option value="online">{t("agenda.mode.online")}</option>
          </select>
        </div>
        {filter.tag ? <input type="hidden" name="tag" value={filter.tag} /> : null}
        <button type="submit" className="button">
          {t("feed.search.submit")}
        </button>
      </Form>
      <p>
        <a href="/agenda.ics">{t("agenda.subscribe")}</a>
      </p>
      {items.length ? (
        <ol className="agenda">
          {items.map((s) => (
            <li key={s.id} className="card">
              <p className="card-meta">
                <KindBadge kind={s.kind as "course" | "activity" | "request"} />
                <span>{formatTimeRange(s.startsAt, s.endsAt, locale, timeZone)}</span>
              </p>
              <h2 className="card-title">
                <Link to={`/sessions/${s.id}`}>{s.title}</Link>
              </h2>
              <p className="muted">
                <ModeText mode={s.mode} />
                {[s.place, s.hostOrganisation].filter(Boolean).map((part) => ` · ${part}`)}
                {" · "}
                <PlacesText registered={s.registered} capacity={s.capacity} />
              </p>
              {hosting.includes(s.id) ? <HostSessionTools sessionId={s.id} cancelled={false} label={s.title} /> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">{t("agenda.empty")}</p>
      )}
      <nav className="pager" aria-label={t("feed.pages")}>
        {!isFirstPage ? <Link to={`/agenda?${params}`}>{t("agenda.first")}</Link> : null}
        {next ? <Link to={`/agenda?${nextParams}`}>{t("agenda.later")}</Link> : null}
      </nav>
    </>
  );
}
