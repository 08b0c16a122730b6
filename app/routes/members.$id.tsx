import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { afterFlag } from "~/lib/flag-received";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { FormError } from "~/components/field";
import { FlagForm, FlagList } from "~/components/flags";
import { getMember, requireMember } from "~/lib/auth.server";
import { echoLimit, readFormData, refusalAt, textField, type FieldErrors } from "~/lib/forms";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { previewCard, shareMeta, titleMeta } from "~/lib/meta";
import { organisationPath } from "~/lib/organisation-links";
import { formatDate } from "~/lib/time";
import { flag, flagInput, flagLimits, FlagRefusedError } from "~/models/flags.server";
import { MemberOutcomes } from "~/components/contributions";
import { Avatar } from "~/components/picture";
import { VoiceExplained } from "~/components/voice-explained";
import { MapPart } from "~/components/network";
import { ContactLink } from "~/components/contact-link";
import { nameViewer } from "~/models/names.server";
import { memberPage } from "~/models/member-page.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  ...titleMeta(matches, null, data?.profile.name, data ? { text: [data.profile.work, data.profile.organisation].filter(Boolean).join(" · ") } : undefined),
  // Members-only profiles and former members stay out of search engines.
  ...(data && data.profile.visibility !== "public" ? [{ name: "robots", content: "noindex" }] : []),
  // A card for shared links: public profiles only (chat apps do not log in).
  ...(data && !data.restricted && !data.former && data.profile.visibility === "public"
    ? shareMeta(matches, { title: data.profile.name, description: [data.profile.work, data.profile.organisation].filter(Boolean).join(" · ") || "Meedoen", path: `/members/${data.profile.id}`, image: previewCard(`/members/${data.profile.id}`, [data.profile.name, data.profile.work, data.profile.organisation].filter(Boolean).join(" · ")), type: "profile" })
    : []),
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!params.id) throw data(null, { status: 404 });
  const viewer = await getMember(request);
  const page = memberPage(params.id, viewer, nameViewer(request, viewer));
  if (!page) throw data(null, { status: 404 });
  return page;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = await readFormData(request);
  const input = flagInput(form);
  // What was chosen and written comes back with a refusal; a refusal about the rule or the reason
  // is said at that field, one about the flag itself (no voice, oneself, the weekly limit) above it.
  const values = { rule: textField(form, "rule").slice(0, flagLimits.rule), reason: textField(form, "reason").slice(0, echoLimit) };
  if (input.message) return data({ errors: { [input.field]: input.message } as FieldErrors, values }, { status: 400 });
  try {
    flag({ type: "member", id: params.id ?? "" }, member.id, input.rule, input.reason);
  } catch (error) {
    if (error instanceof FlagRefusedError) return data({ errors: refusalAt(error.messageKey, { "flag.unknownRule": "rule" }), values }, { status: error.status });
    throw error;
  }
  return redirect(afterFlag(`/members/${params.id}`), 303);
}

export default function ProfilePage() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  if (loaded.restricted) {
    return (
      <article className="narrow">
        <h1>{t("profile.restricted.title")}</h1>
        <p>{t("profile.restricted")}</p>
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(`/members/${loaded.profile.id}`)}`}>{t("nav.login")}</Link>
        </p>
      </article>
    );
  }
  if (loaded.former) {
    return (
      <article className="narrow">
        <h1>{t("member.former")}</h1>
        <p>{t("profile.former")}</p>
      </article>
    );
  }
  return <FullProfile />;
}

function FullProfile() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (loaded.restricted || loaded.former) return null;
  const { profile, voice, founderVoiceFrom, hosting, held, isSelf, flags, rules, colleagues, outcomes, worksWith, contact, struckCheckIn } = loaded;
  return (
    <article className="narrow">
      <h1 className="with-avatar">
        {profile.avatar ? <Avatar image={profile.avatar} size="large" /> : null}
        {profile.name}
      </h1>
      {profile.organisation || profile.work ? (
        <p className="lead">
          {profile.work}
          {profile.work && profile.organisation ? " · " : null}
          {profile.organisationSlug ? <Link to={organisationPath(profile.organisationSlug)}>{profile.organisation}</Link> : profile.organisation}
        </p>
      ) : null}
      <p className="muted">{t("members.since", { date: formatDate(profile.since, locale, timeZone) })}</p>
      {isSelf ? (
        <p>
          <Link className="button secondary" to="/settings/profile">
            {t("profile.edit.title")}
          </Link>
        </p>
      ) : (
        <div className="contact-row">
          <ContactLink memberId={profile.id} name={profile.name} state={contact} button />
        </div>
      )}
      {profile.nowText ? (
        <section className={profile.nowStale ? "now-card stale" : "now-card"} aria-labelledby="now-heading">
          <h2 id="now-heading">{t("now.title")}</h2>
          <p>{profile.nowText}</p>
          <p className="muted">
            {profile.nowAt ? formatDate(profile.nowAt, locale, timeZone) : null}
            {profile.nowStale ? ` · ${t("now.stale")}` : null}
          </p>
          {contact === "open" ? (
            <p>
              <ContactLink memberId={profile.id} name={profile.name} state={contact} />
            </p>
          ) : null}
        </section>
      ) : null}
      {profile.expertise.length ? (
        <ul className="tags" aria-label={t("profile.expertise")}>
          {profile.expertise.map((tag) => (
            <li key={tag}>
              <Link to={`/members?tag=${encodeURIComponent(tag)}`}>#{tag}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      {profile.bioHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: profile.bioHtml }} /> : null}
      {held ? <p className="form-error">{t("flag.postingHeld", { rule: held.rule })}</p> : null}

      <section className="panel" aria-labelledby="voice-heading">
        <h2 id="voice-heading">{t("voice.title")}</h2>
        <VoiceExplained voice={voice} founderVoiceFrom={founderVoiceFrom} isSelf={isSelf} struckCheckIn={struckCheckIn} />
        <p>
          <Link to="/how-it-works">{t("nav.howItWorks")}</Link>
        </p>
      </section>

      {hosting.length ? (
        <section aria-labelledby="hosting-heading">
          <h2 id="hosting-heading">{t("members.hosting")}</h2>
          <ul>
            {hosting.map((i) => (
              <li key={i.id}>
                <Link to={`/initiatives/${i.id}`}>{i.title}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <MemberOutcomes outcomes={outcomes} />
      {worksWith ? (
        <MapPart heading={t("network.worksWith.member", { organisation: worksWith.organisation })} picture={worksWith.picture} organisation={worksWith.organisation} partners={worksWith.partners} slugs={worksWith.slugs} />
      ) : null}
      {colleagues.length ? (
        <section aria-labelledby="colleagues-heading">
          <h2 id="colleagues-heading">{t("profile.sameTags")}</h2>
          <ul className="people">
            {colleagues.map((c) => (
              <li key={c.id}>
                <Link to={`/members/${c.id}`}>{c.displayName}</Link>
                {c.organisation ? <span className="muted"> · {c.organisation}</span> : null}
                <span className="muted"> · {c.shared.map((s) => `#${s}`).join(" ")}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Link to={`/log?subject=member:${profile.id}`}>{t("log.forThis")}</Link>
      </p>

      {flags ? <FlagList flags={flags} /> : null}
      <FormError errors={result?.errors} />
      {rules.length > 0 && !isSelf ? (
        <Form method="post">
          <FlagForm rules={rules} kind="member" errors={result?.errors} values={result?.values} />
        </Form>
      ) : null}
    </article>
  );
}
