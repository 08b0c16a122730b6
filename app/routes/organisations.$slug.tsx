import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { betweenHref, NetworkMap } from "~/components/network";
import { EmbedSnippet } from "~/components/embed-snippet";
import { MergeSection } from "~/components/organisation-merge";
import { getMember, requireMember } from "~/lib/auth.server";
import { readFormData, textField, type FieldErrors } from "~/lib/forms";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { organisationPath, venuePath } from "~/lib/organisation-links";
import { formatDateTime } from "~/lib/time";
import { nameViewer } from "~/models/names.server";
import { organisationPage, proposeMerge } from "~/models/organisation-page.server";
import { OrganisationRefusedError } from "~/models/organisations.server";
import { ProposalRefusedError } from "~/models/proposals.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  titleMeta(matches, null, data?.organisation.name, data ? { text: `${data.organisation.name}: ${data.peopleTotal + data.unnamed} · Meedoen` } : undefined);

/** A slug as the app makes them (organisationSlug), or a 404 for anything else. */
function slugParam(value: string | undefined) {
  if (!value || value.length > 80 || !/^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u.test(value)) throw data(null, { status: 404 });
  return value;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  const page = organisationPage(slugParam(params.slug), viewer, nameViewer(request, viewer));
  if (!page) throw data(null, { status: 404 });
  // A merged spelling's address keeps working: it leads to the organisation it became.
  if ("redirect" in page) throw redirect(organisationPath(page.redirect!), 301);
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const slug = slugParam(params.slug);
  const form = await readFormData(request);
  if (form.get("intent") !== "merge") return data({ errors: { form: "error.badRequest" } as FieldErrors, values: { into: "", reason: "" } }, { status: 400 });
  const values = { into: textField(form, "into").slice(0, 20_000), reason: textField(form, "reason").slice(0, 20_000) };
  try {
    const id = proposeMerge(slug, values.into, values.reason, member.id);
    return redirect(`/proposals/${id}`, 303);
  } catch (error) {
    if (error instanceof ProposalRefusedError || error instanceof OrganisationRefusedError) {
      const key = error.messageKey;
      const field = key === "organisation.merge.reasonTooLong" ? "reason" : key === "proposal.noVoice" || key === "organisation.merge.unknown" ? "form" : "into";
      return data({ errors: { [field]: key } as FieldErrors, values }, { status: error.status });
    }
    throw error;
  }
}

export default function OrganisationPage() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const sent: { into?: string; reason?: string } = result?.values ?? {};
  const { organisation, people, peopleTotal, unnamed, initiatives, coming, past, meetingCount, partners, partnerTotal, layout, venues, openMerges, can, similar, names, loggedIn } = page;
  const shared = (n: number) => (n === 1 ? t("network.shared.one") : t("network.shared", { n }));
  const sessionList = (list: typeof coming) => (
    <ul className="plain">
      {list.map((s) => (
        <li key={s.id}>
          <time dateTime={new Date(s.startsAt).toISOString()}>{formatDateTime(s.startsAt, locale, timeZone)}</time> · <Link to={`/sessions/${s.id}`}>{s.title}</Link>
          {s.place ? <span className="muted"> · {s.place}</span> : null}
        </li>
      ))}
    </ul>
  );
  return (
    <article className="narrow-wide">
      <p>
        <Link to="/organisations">← {t("organisations.title")}</Link>
      </p>
      <h1>{organisation.name}</h1>

      <section aria-labelledby="people-heading">
        <h2 id="people-heading">{t("organisation.people")}</h2>
        {people.length ? (
          <ul className="people">
            {people.map((p) => (
              <li key={p.id}>
                <Link to={`/members/${p.id}`}>{p.displayName}</Link>
                {p.work ? <span className="muted"> · {p.work}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {peopleTotal > people.length ? <p className="muted">{t("organisation.people.more", { n: peopleTotal - people.length })}</p> : null}
        {unnamed ? <p className="muted">{unnamed === 1 ? t("organisation.people.unnamed.one") : t("organisation.people.unnamed", { n: unnamed })}</p> : null}
        {!people.length && !unnamed ? <p className="muted">{t("organisation.people.none")}</p> : null}
        {!loggedIn ? (
          <p className="hint">
            {t("organisation.people.visitorHint")} <Link to={`/login?redirectTo=${encodeURIComponent(organisationPath(organisation.slug))}`}>{t("nav.login")}</Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="initiatives-heading">
        <h2 id="initiatives-heading">{t("organisation.initiatives")}</h2>
        {initiatives.length ? (
          <ul className="plain">
            {initiatives.map((i) => (
              <li key={i.id}>
                <Link to={`/initiatives/${i.id}`}>{i.title}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("organisation.initiatives.none")}</p>
        )}
      </section>

      <section aria-labelledby="meetings-heading">
        <h2 id="meetings-heading">{t("organisation.meetings")}</h2>
        <p className="muted">{t("organisation.meetings.intro", { n: meetingCount })}</p>
        {coming.length ? (
          <>
            <h3>{t("venue.coming")}</h3>
            {sessionList(coming)}
          </>
        ) : null}
        {past.length ? (
          <>
            <h3>{t("venue.past")}</h3>
            {sessionList(past)}
          </>
        ) : null}
      </section>

      <section aria-labelledby="partners-heading">
        <h2 id="partners-heading">{t("network.worksWith.member", { organisation: organisation.name })}</h2>
        {partners.length ? (
          <>
            <p id="partners-description">{t("organisation.partners.intro", { n: partnerTotal })}</p>
            {layout && layout.links.length ? (
              <div className="map-frame small" tabIndex={0} role="region" aria-label={t("network.worksWith.member", { organisation: organisation.name })}>
                <NetworkMap layout={layout} titleId="partners-heading" descriptionId="partners-description" />
              </div>
            ) : null}
            <div className="table-frame">
              <table className="data-table">
                <caption className="visually-hidden">{t("network.worksWith.member", { organisation: organisation.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("network.col.with")}</th>
                    <th scope="col">{t("network.col.shared")}</th>
                  </tr>
                </thead>
                <tbody>
                  {partners.map((p) => (
                    <tr key={p.name}>
                      <th scope="row">{p.slug ? <Link to={organisationPath(p.slug)}>{p.name}</Link> : p.name}</th>
                      <td>
                        <Link to={betweenHref(organisation.name, p.name)} aria-label={shared(p.weight)}>
                          {p.weight}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p className="muted">{t("organisation.partners.none")}</p>
        )}
      </section>

      <section aria-labelledby="venues-heading">
        <h2 id="venues-heading">{t("organisation.venues")}</h2>
        {venues.length ? (
          <ul className="plain">
            {venues.map((v) => (
              <li key={v.id}>
                <Link to={venuePath(v.id)}>{v.name}</Link>
                {v.address ? <span className="muted"> · {v.address}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("organisation.venues.none")}</p>
        )}
        {can.addVenue ? (
          <p>
            <Link to={`/venues/new?${new URLSearchParams({ organisation: organisation.name })}`}>{t("venue.new.title")}</Link>
          </p>
        ) : null}
      </section>

      <EmbedSnippet organisation={organisation} />
      <MergeSection organisationName={organisation.name} openMerges={openMerges} canPropose={can.proposeMerge} similar={similar} names={names} loggedIn={loggedIn} errors={result?.errors} sent={sent} />
    </article>
  );
}
