import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { KindBadge, TagList } from "~/components/initiative-card";
import { Picture } from "~/components/picture";
import { SessionList } from "~/components/session-list";
import { MapPart } from "~/components/network";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT } from "~/lib/i18n/react";
import { imageUrl } from "~/lib/images";
import { previewCard, shareMeta, titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatDate } from "~/lib/time";
import { FlagForm, FlagList } from "~/components/flags";
import { nameViewer } from "~/models/names.server";
import { initiativePage } from "~/models/initiative-page.server";
import { InitiativeContributionsSection } from "~/components/contributions";
import { InitiativeHosts } from "~/components/initiative-hosts";
import { EditWaitingNotice } from "~/components/host-moderation";
import { InitiativePolls } from "~/components/poll-view";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.hidden
    ? [...titleMeta(matches, "flag.hidden.title"), { name: "robots", content: "noindex" }]
    : [
        ...titleMeta(matches, null, data?.initiative.title, data ? { text: data.initiative.summary } : undefined),
        ...(data
          ? [
              ...shareMeta(matches, { title: data.initiative.title, description: data.initiative.summary, path: `/initiatives/${data.initiative.id}`, image: data.initiative.cover ? { path: imageUrl(data.initiative.cover.id, 1200), width: data.initiative.cover.width, height: data.initiative.cover.height, alt: data.initiative.cover.alt ?? undefined } : previewCard(`/initiatives/${data.initiative.id}`, data.initiative.title), type: "article" }),
            ]
          : []),
      ];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  // Hosts, authors and proposals name people as this viewer may see them (names.server.ts).
  const page = initiativePage(idParam(params.id), member, nameViewer(request, member), new URL(request.url).searchParams.get("show") === "1");
  if (!page) throw data(null, { status: 404 });
  return page;
}

export default function InitiativePage() {
  const t = useT();
  const locale = useLocale();
  const { contributions, contributionRules, worksWith, editWaiting, polls } = useLoaderData<typeof loader>();
  const { initiative, isHost, timeZone, sessions, now, loggedIn, interest, upcomingCount, enrolledEverywhere, enrolment, hidden, showBody, canJoin, participant, viewerHasVoice, flags, rules, proposals, sameTagPeople, requestPending, hostRequests, lazyDays, isListedHost } = useLoaderData<typeof loader>();
  if (hidden && !showBody) {
    return (
      <article className="narrow">
        <h1>{t("flag.hidden.title")}</h1>
        <p className="form-error">{t("flag.hidden.notice", { rule: hidden.rule })}</p>
        {editWaiting ? <EditWaitingNotice type="initiative" id={initiative.id} waiting={editWaiting} /> : null}
        {hidden.canRead ? (
          <p>
            <Link to={`/initiatives/${initiative.id}?show=1`}>{t("flag.hidden.showAnyway")}</Link>
          </p>
        ) : (
          <p>{t("flag.hidden.onlyVoices")}</p>
        )}
        <p>
          <Link to={`/log?subject=initiative:${initiative.id}`}>{t("log.forThis")}</Link>
        </p>
      </article>
    );
  }
  const here = `/initiatives/${initiative.id}`;
  return (
    <article className="initiative">
      {hidden ? (
        <p className="form-error initiative-header">
          {t("flag.hidden.notice", { rule: hidden.rule })} {isHost && hidden.times < 2 && !editWaiting ? t("flag.hidden.authorEdit") : null}
        </p>
      ) : null}
      {hidden && editWaiting ? <EditWaitingNotice type="initiative" id={initiative.id} waiting={editWaiting} /> : null}
      <header className="initiative-header">
        {initiative.cover ? <Picture image={initiative.cover} alt={initiative.cover.alt} sizes="(min-width: 64rem) 62rem, calc(100vw - 2rem)" className="initiative-cover" eager /> : null}
        <p className="card-meta">
          <KindBadge kind={initiative.kind} />
          <span className="status">{t(`status.${initiative.status}`)}</span>
          {initiative.place ? <span className="place">{initiative.place}</span> : null}
        </p>
        <h1>{initiative.title}</h1>
        <p className="lead">{initiative.summary}</p>
        <TagList tags={initiative.tagList} />
        {isHost ? (
          <p>
            <Link className="button secondary" to={`/initiatives/${initiative.id}/edit`}>
              {t("initiative.edit")}
            </Link>
          </p>
        ) : null}
      </header>
      <div className="initiative-main">
        {initiative.target ? <p>{t("initiative.goesAheadWith", { n: initiative.target })}</p> : null}
        <div className="prose" dangerouslySetInnerHTML={{ __html: initiative.bodyHtml }} />
        <section aria-labelledby="sessions-heading" className="sessions-section">
          <h2 id="sessions-heading">{t("session.sessions")}</h2>
          {sessions.length === 0 ? (
            <div className="interest">
              <p>
                {initiative.target
                  ? t("interest.progress", { n: interest.count, target: initiative.target })
                  : t("interest.count", { n: interest.count })}
              </p>
              {initiative.target ? <progress max={initiative.target} value={Math.min(interest.count, initiative.target)} aria-label={t("interest.progress", { n: interest.count, target: initiative.target })} /> : null}
              {interest.mine ? <p className="session-state ok">{t("interest.youAreIn")}</p> : null}
              {isHost ? (
                <p className="hint">{t("hosts.interest.hostCount")}</p>
              ) : loggedIn ? (
                <Form method="post" action={`/initiatives/${initiative.id}/interest`}>
                  <input type="hidden" name="interested" value={interest.mine ? "0" : "1"} />
                  <button type="submit" className={interest.mine ? "button secondary" : "button"}>
                    {interest.mine ? t("interest.out") : t("interest.in")}
                  </button>
                </Form>
              ) : (
                <Link className="button secondary" to={`/login?redirectTo=${encodeURIComponent(here)}`}>
                  {t("interest.loginFirst")}
                </Link>
              )}
            </div>
          ) : null}
          {initiative.kind === "course" && upcomingCount > 1 && loggedIn && !isHost && !enrolledEverywhere ? (
            <Form method="post" action={`/initiatives/${initiative.id}/enrol`} className="enrol">
              <p className="hint">
                {enrolment.allFull
                  ? t("enrol.hint.allFull", { n: enrolment.sessions })
                  : enrolment.full
                    ? t("enrol.hint.someFull", { n: upcomingCount, count: enrolment.full })
                    : t("enrol.hint", { n: upcomingCount })}
              </p>
              <button type="submit" className="button">
                {enrolment.allFull ? t("enrol.submit.waitlist") : t("enrol.submit")}
              </button>
            </Form>
          ) : null}
          <SessionList sessions={sessions} loggedIn={loggedIn} redirectTo={here} now={now} hostTools={isHost} />
          <p className="row-links">
            {isHost ? (
              <Link className="button secondary" to={`/initiatives/${initiative.id}/sessions`}>
                {t("session.add")}
              </Link>
            ) : null}
            {sessions.length ? <a href={`/initiatives/${initiative.id}.ics`}>{t("session.calendar")}</a> : null}
          </p>
        </section>
        <InitiativeContributionsSection initiativeId={initiative.id} contributions={contributions} rules={contributionRules} />
        {worksWith ? <MapPart heading={t("network.worksWith.initiative")} picture={worksWith.picture} partners={worksWith.partners} /> : null}
      </div>
      <aside className="initiative-aside" aria-labelledby="hosts-heading">
        <InitiativeHosts initiativeId={initiative.id} hosts={initiative.hosts} canJoin={canJoin} requestPending={requestPending} hostRequests={hostRequests} lazyDays={lazyDays} isListedHost={isListedHost} />
        <p className="muted">
          {t("initiative.postedOn", { date: formatDate(initiative.createdAt, locale, timeZone) })}
        </p>
        <InitiativePolls initiativeId={initiative.id} polls={polls} isHost={isHost} />
        <h2>{t("proposal.list.title")}</h2>
        {proposals.length ? (
          <ul>
            {proposals.map((p) => (
              <li key={p.id}>
                <Link to={`/proposals/${p.id}`}>{p.hidden && !p.title ? t("proposal.hiddenTitle") : p.title}</Link>
                {p.closed ? <span className="muted"> · {t("proposal.closed")}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {participant || isHost ? (
          <p>
            <Link to={`/proposals/new?initiative=${initiative.id}`}>{t("proposal.new.forInitiative")}</Link>
          </p>
        ) : null}
        {sameTagPeople.length ? (
          <>
            <h2>{t("profile.sameTags")}</h2>
            <ul>
              {sameTagPeople.map((p) => (
                <li key={p.id}>
                  <Link to={`/members/${p.id}`}>{p.displayName}</Link>
                  {p.organisation ? <span className="muted"> · {p.organisation}</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p>
          <Link to={`/log?subject=initiative:${initiative.id}`}>{t("log.forThis")}</Link>
        </p>
      </aside>
      {flags ? (
        <div className="initiative-main">
          <FlagList flags={flags} />
        </div>
      ) : null}
      {rules.length > 0 && !isHost ? (
        <Form method="post" action={`/initiatives/${initiative.id}/flag`} className="initiative-main">
          <FlagForm rules={rules} kind="initiative" />
        </Form>
      ) : null}
    </article>
  );
}
