import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ModeText, RegistrationControls, PlacesText } from "~/components/session-list";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { previewCard, shareMeta, titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatTimeRange } from "~/lib/time";
import { nameViewer } from "~/models/names.server";
import { sessionPage } from "~/models/session-page.server";
import { SessionOutcomesSection } from "~/components/contributions";
import { VenueFacts } from "~/components/venue-facts";
import { AddToCalendar } from "~/components/add-to-calendar";
import { SessionMethods } from "~/components/session-methods";
import { HostSessionTools } from "~/components/host-tools";
import { SpokenCode } from "~/components/checkin";
import { CancelledNotice } from "~/components/cancel-session-form";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.hidden
    ? [...titleMeta(matches, "flag.hidden.title"), { name: "robots", content: "noindex" }]
    : [
        ...titleMeta(matches, null, data ? `${data.session.initiativeTitle}` : undefined, data ? { text: data.shareDescription } : undefined),
        ...(data ? shareMeta(matches, { title: data.session.initiativeTitle, description: data.shareDescription, path: `/sessions/${data.session.id}`, image: previewCard(`/sessions/${data.session.id}`, `${data.session.initiativeTitle}: ${data.shareDescription}`), type: "article" }) : []),
      ];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const page = sessionPage(idParam(params.id), member, nameViewer(request, member));
  if (!page) throw data(null, { status: 404 });
  return page;
}

export default function SessionPage() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { contributions, contributionRules } = useLoaderData<typeof loader>();
  const { session, hidden, summary, online, now, loggedIn, isHost, participants, checkinCode, canCheckIn, markingOpen, mayMark, mayWithdrawCheckIn, offerCalendarLinks, mayTellUnseen, struckMe } = useLoaderData<typeof loader>();
  const venue = session.venue;
  const here = `/sessions/${session.id}`;
  const title = hidden && !hidden.canRead ? t("flag.hidden.title") : session.initiativeTitle;
  const registered = participants?.filter((p) => p.status === "registered") ?? [];
  // Hosts who checked in at their own session: there, but not signed up, so listed after the sign-ups.
  const listed = [...registered, ...(participants?.filter((p) => p.status === "present") ?? [])];
  const waiting = participants?.filter((p) => p.status === "waitlisted") ?? [];
  return (
    <article className="session-page">
      <p>
        <Link to={`/initiatives/${session.initiativeId}`}>← {t("session.backToInitiative", { title })}</Link>
      </p>
      <h1>{title}</h1>
      {hidden ? (
        <p className="form-error">
          {t("session.hidden.notice", { rule: hidden.rule })} {hidden.canRead ? null : t("flag.hidden.onlyVoices")}
        </p>
      ) : null}
      <p className="lead">{formatTimeRange(session.startsAt, session.endsAt, locale, timeZone)}</p>
      {session.cancelled ? <CancelledNotice reason={session.cancelReason} /> : null}
      {session.inSeries ? <p className="muted">{t("session.series.part")}</p> : null}
      <dl className="facts">
        <dt>{t("session.mode")}</dt>
        <dd>
          <ModeText mode={session.mode} />
        </dd>
        {venue ? (
          <VenueFacts venue={venue} />
        ) : session.place ? (
          <>
            <dt>{t("session.place")}</dt>
            <dd>{session.place}</dd>
          </>
        ) : null}
        {session.hostOrganisation ? (
          <>
            <dt>{t("session.hostOrganisation")}</dt>
            <dd>{session.hostOrganisation}</dd>
          </>
        ) : null}
        {online ? (
          <>
            <dt>{t("session.online.link")}</dt>
            <dd>{online.url ? <a href={online.url} rel="noopener noreferrer">{online.url}</a> : <span className="muted">{t("session.online.linkHidden")}</span>}</dd>
          </>
        ) : null}
        <dt>{t("session.capacity")}</dt>
        <dd>
          <PlacesText registered={summary.registered} capacity={session.capacity} waitlisted={summary.waitlisted} />
        </dd>
      </dl>
      {isHost ? <HostSessionTools sessionId={session.id} cancelled={session.cancelled} /> : <RegistrationControls session={summary} loggedIn={loggedIn} redirectTo={here} now={now} />}
      <AddToCalendar session={session} offer={offerCalendarLinks} />

      {canCheckIn ? (
        <section className="panel" aria-labelledby="checkin-heading">
          <h2 id="checkin-heading">{t("session.checkin")}</h2>
          <Form method="post" action={`/sessions/${session.id}/checkin`} className="inline-fields">
            <p className="hint" id="checkin-hint">
              {t("session.checkin.hint")}
            </p>
            <label htmlFor="checkin-code">{t("session.checkin.code")}</label>
            <input id="checkin-code" name="code" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} aria-describedby="checkin-hint" required />
            <button type="submit" className="button">
              {t("session.checkin.submit")}
            </button>
          </Form>
        </section>
      ) : null}

      {struckMe ? (
        <p className="form-error" role="status">
          {t("session.unseen.struckMine")}
        </p>
      ) : null}

      {mayWithdrawCheckIn ? (
        <Form method="post" action={`/sessions/${session.id}/attendance`}>
          <input type="hidden" name="intent" value="withdraw" />
          <button type="submit" className="link-button">
            {t("session.attendance.withdraw")}
          </button>
        </Form>
      ) : null}

      {isHost ? (
        <section className="panel" aria-labelledby="host-heading">
          <h2 id="host-heading">{t("session.hostTools")}</h2>
          {checkinCode ? (
            <div className="checkin-code">
              <p>{t("session.checkinCode")}</p>
              <SpokenCode code={checkinCode} className="code" />
              <p className="hint">{t("session.checkinCode.hint")}</p>
            </div>
          ) : !session.cancelled ? (
            <p className="hint">{t("session.checkinCode.later")}</p>
          ) : null}
          {session.mode !== "onsite" && !session.cancelled ? <p className="hint">{t("session.online.checkinHint")}</p> : null}
        </section>
      ) : null}

      <section aria-labelledby="participants-heading">
        <h2 id="participants-heading">{t("session.participants")}</h2>
        {participants === null ? (
          <p className="muted">{t("session.participants.count", { n: summary.registered })}</p>
        ) : (
          <>
            <p className="hint">{t("session.participants.hint")}</p>
            {mayTellUnseen ? <p className="hint">{t("session.unseen.hint")}</p> : null}
            {listed.length ? (
              <ul className="people">
                {listed.map((p) => (
                  <li key={p.memberId}>
                    <span>
                      {p.displayName || t("member.former")}
                      {p.organisation ? <span className="muted"> · {p.organisation}</span> : null}
                      {p.status === "present" ? <span className="muted"> · {t("session.attendance.host")}</span> : null}
                      {p.attended ? <strong className="present"> · {t("session.attendance.present")}</strong> : null}
                      {/* How: so that those who were there can tell a check-in from a host's mark. */}
                      {p.attended ? <span className="muted">{` (${t(p.selfCheckIn ? "session.attendance.byCode" : "session.attendance.byHost")})`}</span> : null}
                      {p.struck ? <strong> · {t("session.unseen.struckLabel")}</strong> : p.unseen ? <span className="muted"> · {t("session.unseen.count", { n: p.unseen })}</span> : null}
                    </span>
                    {p.mayTellUnseen ? (
                      <Form method="post" action={`/sessions/${session.id}/attendance`}>
                        <input type="hidden" name="intent" value={p.unseenByMe ? "seen" : "unseen"} />
                        <input type="hidden" name="memberId" value={p.memberId} />
                        <button type="submit" className="link-button">
                          {p.unseenByMe ? t("session.unseen.takeBack") : t("session.unseen.tell")}
                          <span className="visually-hidden">: {p.displayName}</span>
                        </button>
                      </Form>
                    ) : null}
                    {mayMark && !p.selfCheckIn && !p.struck ? (
                      <Form method="post" action={`/sessions/${session.id}/attendance`}>
                        <input type="hidden" name="memberId" value={p.memberId} />
                        <input type="hidden" name="present" value={p.attended ? "0" : "1"} />
                        <button type="submit" className="link-button">
                          {p.attended ? t("session.attendance.markAbsent") : t("session.attendance.markPresent")}
                          <span className="visually-hidden">: {p.displayName}</span>
                        </button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">{t("session.participants.none")}</p>
            )}
            {isHost && !markingOpen && registered.length ? <p className="hint">{t("session.attendance.notYet")}</p> : null}
            {waiting.length ? (
              <>
                <h3>{t("session.waitlist")}</h3>
                <ol className="people">
                  {waiting.map((p) => (
                    <li key={p.memberId}>
                      {p.displayName}
                      {p.organisation ? <span className="muted"> · {p.organisation}</span> : null}
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
          </>
        )}
      </section>
      <SessionMethods sessionId={session.id} methods={useLoaderData<typeof loader>().methods} />
      <SessionOutcomesSection sessionId={session.id} initiativeId={session.initiativeId} contributions={contributions} rules={contributionRules} />
    </article>
  );
}
