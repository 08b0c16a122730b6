import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { KindBadge, TagList } from "~/components/initiative-card";
import { Picture } from "~/components/picture";
import { SessionList } from "~/components/session-list";
import { MapPart } from "~/components/network";
import { initiativePart } from "~/models/network.server";
import { getMember } from "~/lib/auth.server";
import { env } from "~/lib/env.server";
import { useLocale, useT } from "~/lib/i18n/react";
import { renderMarkdown } from "~/lib/markdown.server";
import { imageUrl } from "~/lib/images";
import { previewCard, shareMeta, titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatDate } from "~/lib/time";
import { FlagForm, FlagList } from "~/components/flags";
import { ruleHeadings } from "~/lib/diff";
import { flagsOn } from "~/models/flags.server";
import { getInitiative, publicHosts } from "~/models/initiatives.server";
import { nameViewer } from "~/models/names.server";
import { currentRules, listProposals } from "~/models/proposals.server";
import { attendedAny, takesPartIn } from "~/models/registrations.server";
import { hasOpenHostRequest, openHostRequests } from "~/models/hosts.server";
import { governance } from "~/governance/config";
import { isHeld, voiceSnapshot } from "~/models/voice.server";
import { peopleOnTags } from "~/models/profiles.server";
import { interestOf } from "~/models/registrations.server";
import { sessionsOfInitiative } from "~/models/sessions.server";
// --- contributions (outcomes and comments) ---
import { InitiativeContributionsSection } from "~/components/contributions";
import { initiativeContributions } from "~/models/contributions.server";
// --- end contributions ---

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.hidden
    ? [...titleMeta(matches, "flag.hidden.title"), { name: "robots", content: "noindex" }]
    : [
        ...titleMeta(matches, null, data?.initiative.title),
        ...(data
          ? [
              { name: "description", content: data.initiative.summary },
              ...shareMeta(matches, { title: data.initiative.title, description: data.initiative.summary, path: `/initiatives/${data.initiative.id}`, image: data.initiative.cover ? { path: imageUrl(data.initiative.cover.id, 1200), width: data.initiative.cover.width, height: data.initiative.cover.height, alt: data.initiative.cover.alt ?? undefined } : previewCard(`/initiatives/${data.initiative.id}`), type: "article" }),
            ]
          : []),
      ];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const initiative = getInitiative(idParam(params.id));
  if (!initiative) throw data(null, { status: 404 });
  const member = await getMember(request);
  // Hosts, authors and proposals name people as this viewer may see them (names.server.ts).
  const names = nameViewer(request, member);
  const sessions = sessionsOfInitiative(initiative.id, member?.id ?? null);
  const now = Date.now();
  const snapshot = voiceSnapshot(now);
  const viewerHasVoice = !!member && snapshot.voices.has(member.id);
  const viewerIsWitness = !!member && snapshot.witnesses.has(member.id);
  const viewerIsHost = !!member && initiative.hosts.some((h) => h.id === member.id);
  const participant = !!member && takesPartIn(initiative.id, member.id);
  const viewerHeld = !!member && isHeld(member.id);
  const viewerActsAsHost = viewerIsHost && !viewerHeld;
  const requestPending = !!member && !viewerIsHost && hasOpenHostRequest(initiative.id, member.id);
  // Hidden content stays readable on click-through for its authors (hosts) and members with a voice.
  const hidden = initiative.hiddenAt ? { rule: initiative.hiddenRule ?? "", times: initiative.timesHidden, canRead: viewerIsHost || viewerHasVoice } : null;
  const showBody = !hidden || (hidden.canRead && new URL(request.url).searchParams.get("show") === "1") || (hidden && viewerIsHost);
  return {
    hidden,
    showBody,
    // Co-hosting needs consent (governance.md §2): who may ask, who waits for an answer, and what the hosts answer.
    canJoin: !!member && !viewerIsHost && !viewerHeld && !requestPending && (initiative.hosts.length === 0 ? viewerHasVoice : viewerHasVoice || attendedAny(initiative.id, member.id)),
    requestPending,
    hostRequests: viewerActsAsHost ? openHostRequests(initiative.id).map((r) => ({ id: r.id, memberId: r.member_id, displayName: r.display_name, createdAt: r.created_at })) : [],
    lazyDays: governance.hostRequestLazyConsentDays,
    participant,
    viewerHasVoice,
    flags: viewerHasVoice ? flagsOn({ type: "initiative", id: String(initiative.id) }) : null,
    // Only witnesses flag (governance.md §4): the form with the house rules is for them.
    rules: viewerIsWitness && !viewerIsHost ? ruleHeadings(currentRules().text) : [],
    proposals: listProposals({ initiativeId: initiative.id, viewerId: member?.id ?? null, locale: names.locale }).map((p) => ({ id: p.id, title: p.title, hidden: !!p.hidden, closed: p.closed_at !== null })),
    // "People working on the same tag": cross-connections across organisations.
    sameTagPeople: peopleOnTags(initiative.tagList, { exclude: initiative.hosts.map((h) => h.id), includeMembersOnly: !!member, limit: 6 }).map((p) => ({
      id: p.id,
      displayName: p.displayName,
      organisation: p.organisation,
      shared: p.shared,
    })),
    // The organisations taking part, as their part of the map (not for hidden initiatives).
    worksWith: initiative.hiddenAt ? null : initiativePart(initiative.id, !!member),
    // --- contributions (outcomes and comments) ---
    // Outcomes and comments carry the initiative's title: none for those who may not read it.
    contributions: initiative.hiddenAt && !(viewerIsHost || viewerHasVoice) ? { outcomes: [], comments: [], loggedIn: !!member, mayPostOutcome: false, outcomeSessions: [] } : initiativeContributions(initiative.id, { ...names, hasVoice: viewerHasVoice }, now),
    contributionRules: viewerIsWitness ? ruleHeadings(currentRules().text) : [],
    // --- end contributions ---
    sessions,
    now,
    loggedIn: !!member,
    interest: interestOf(initiative.id, member?.id ?? null),
    upcomingCount: sessions.filter((s) => !s.cancelled && s.startsAt > now).length,
    initiative: {
      id: initiative.id,
      title: initiative.title,
      summary: initiative.summary,
      kind: initiative.kind,
      status: initiative.status,
      place: initiative.place,
      target: initiative.target,
      tagList: initiative.tagList,
      hosts: publicHosts(initiative.hosts, names),
      createdAt: initiative.createdAt.getTime(),
      updatedAt: initiative.updatedAt.getTime(),
      cover: initiative.cover ? { ...initiative.cover, alt: initiative.coverAlt } : null,
      bodyHtml: !initiative.hiddenAt || viewerIsHost || viewerHasVoice ? renderMarkdown(initiative.body) : "",
      // Hidden from those who may not read it: not even the title leaves the server.
      ...(initiative.hiddenAt && !(viewerIsHost || viewerHasVoice) ? { title: "", summary: "", place: "", tagList: [] as string[], cover: null } : {}),
    },
    isHost: viewerActsAsHost,
    isListedHost: viewerIsHost,
    timeZone: env().TZ_COMMUNITY,
  };
}

export default function InitiativePage() {
  const t = useT();
  const locale = useLocale();
  const { contributions, contributionRules, worksWith } = useLoaderData<typeof loader>();
  const { initiative, isHost, timeZone, sessions, now, loggedIn, interest, upcomingCount, hidden, showBody, canJoin, participant, viewerHasVoice, flags, rules, proposals, sameTagPeople, requestPending, hostRequests, lazyDays, isListedHost } = useLoaderData<typeof loader>();
  if (hidden && !showBody) {
    return (
      <article className="narrow">
        <h1>{t("flag.hidden.title")}</h1>
        <p className="form-error">{t("flag.hidden.notice", { rule: hidden.rule })}</p>
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
  const enrolledEverywhere = sessions.filter((s) => !s.cancelled && s.startsAt > now).every((s) => s.myStatus);
  return (
    <article className="initiative">
      {hidden ? (
        <p className="form-error initiative-header">
          {t("flag.hidden.notice", { rule: hidden.rule })} {isHost && hidden.times < 2 ? t("flag.hidden.authorEdit") : null}
        </p>
      ) : null}
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
              {loggedIn ? (
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
          {initiative.kind === "course" && upcomingCount > 1 && loggedIn && !enrolledEverywhere ? (
            <Form method="post" action={`/initiatives/${initiative.id}/enrol`} className="enrol">
              <p className="hint">{t("enrol.hint", { n: upcomingCount })}</p>
              <button type="submit" className="button">
                {t("enrol.submit")}
              </button>
            </Form>
          ) : null}
          <SessionList sessions={sessions} loggedIn={loggedIn} redirectTo={here} now={now} />
          <p className="row-links">
            {isHost ? (
              <Link className="button secondary" to={`/initiatives/${initiative.id}/sessions`}>
                {t("session.add")}
              </Link>
            ) : null}
            {sessions.length ? <a href={`/initiatives/${initiative.id}.ics`}>{t("session.calendar")}</a> : null}
          </p>
        </section>
        {/* --- contributions (outcomes and comments) --- */}
        <InitiativeContributionsSection initiativeId={initiative.id} contributions={contributions} rules={contributionRules} />
        {/* --- end contributions --- */}
        {worksWith ? <MapPart heading={t("network.worksWith.initiative")} layout={worksWith.layout} partners={worksWith.partners} /> : null}
      </div>
      <aside className="initiative-aside" aria-labelledby="hosts-heading">
        <h2 id="hosts-heading">{t("initiative.hosts")}</h2>
        {initiative.hosts.length ? (
          <ul>
            {initiative.hosts.map((host, i) => (
              <li key={host.id ?? `host-${i}`}>
                {host.id ? <Link to={`/members/${host.id}`}>{host.displayName}</Link> : host.displayName}
                {host.organisation ? <span className="muted"> · {host.organisation}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("initiative.lookingForHost")}</p>
        )}
        {canJoin ? (
          <Form method="post" action={`/initiatives/${initiative.id}/hosts`}>
            <input type="hidden" name="intent" value="join" />
            <button type="submit" className="button secondary">
              {initiative.hosts.length ? t("host.ask") : t("host.takeUp")}
            </button>
          </Form>
        ) : null}
        {requestPending ? (
          <Form method="post" action={`/initiatives/${initiative.id}/hosts`}>
            <p className="notice">{t("host.pending")}</p>
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="link-button">
              {t("host.withdraw")}
            </button>
          </Form>
        ) : null}
        {hostRequests.length ? (
          <section aria-labelledby="host-requests-heading">
            <h3 id="host-requests-heading">{t("host.requests.title")}</h3>
            <p className="hint">{t("host.requests.lazy", { days: lazyDays })}</p>
            <ul className="people">
              {hostRequests.map((r) => (
                <li key={r.id}>
                  <Link to={`/members/${r.memberId}`}>{r.displayName}</Link>
                  <Form method="post" action={`/initiatives/${initiative.id}/hosts`} className="inline-actions">
                    <input type="hidden" name="request" value={r.id} />
                    <button type="submit" name="intent" value="accept" className="button secondary" aria-label={`${t("host.accept")}: ${r.displayName}`}>
                      {t("host.accept")}
                    </button>{" "}
                    <button type="submit" name="intent" value="decline" className="link-button" aria-label={`${t("host.decline")}: ${r.displayName}`}>
                      {t("host.decline")}
                    </button>
                  </Form>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {isListedHost ? (
          <Form method="post" action={`/initiatives/${initiative.id}/hosts`}>
            <input type="hidden" name="intent" value="step-back" />
            <button type="submit" className="link-button">
              {t("host.stepBack")}
            </button>
          </Form>
        ) : null}
        <p className="muted">
          {t("initiative.postedOn", { date: formatDate(initiative.createdAt, locale, timeZone) })}
        </p>
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
