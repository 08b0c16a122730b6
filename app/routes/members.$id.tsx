import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { sql } from "drizzle-orm";
import { FlagForm, FlagList } from "~/components/flags";
import { getMember, requireMember } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { ruleHeadings } from "~/lib/diff";
import { cleanText, readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDate } from "~/lib/time";
import { flag, FlagRefusedError, flagsOn } from "~/models/flags.server";
import { getPublicMember } from "~/models/members.server";
import { currentRules } from "~/models/proposals.server";
import { voiceOfMember, voiceSnapshot } from "~/models/voice.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => titleMeta(matches, null, data?.profile.name);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const profile = params.id ? getPublicMember(params.id) : null;
  if (!profile) throw data(null, { status: 404 });
  const viewer = await getMember(request);
  const snapshot = voiceSnapshot();
  const viewerHasVoice = !!viewer && snapshot.voices.has(viewer.id);
  const held = db().get<{ posting_held_at: number | null; posting_held_rule: string | null }>(sql`SELECT posting_held_at, posting_held_rule FROM members WHERE id = ${profile.id}`);
  const hosting = db().all<{ id: number; title: string }>(sql`SELECT i.id, i.title FROM hosts h JOIN initiatives i ON i.id = h.initiative_id WHERE h.member_id = ${profile.id} AND i.hidden_at IS NULL ORDER BY h.since DESC`);
  return {
    profile: { id: profile.id, name: profile.displayName, organisation: profile.organisation, since: profile.createdAt.getTime() },
    voice: voiceOfMember(profile.id),
    bootstrapping: snapshot.bootstrapping,
    hosting,
    held: held.posting_held_at ? { rule: held.posting_held_rule ?? "" } : null,
    isSelf: viewer?.id === profile.id,
    viewerHasVoice,
    // Who flagged what is visible to members with a voice, not to the public.
    flags: viewerHasVoice ? flagsOn({ type: "member", id: profile.id }) : null,
    rules: viewerHasVoice ? ruleHeadings(currentRules().text) : [],
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = await readFormData(request);
  const rule = cleanText(String(form.get("rule") ?? "")).slice(0, 120);
  const reason = cleanText(String(form.get("reason") ?? "")).slice(0, 1000);
  if (!rule || !reason) return data({ error: "flag.required" as MessageKey }, { status: 400 });
  try {
    flag({ type: "member", id: params.id ?? "" }, member.id, rule, reason);
  } catch (error) {
    if (error instanceof FlagRefusedError) return data({ error: error.messageKey as MessageKey }, { status: error.status });
    throw error;
  }
  return redirect(`/members/${params.id}`, 303);
}

export default function Profile() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { profile, voice, hosting, held, isSelf, viewerHasVoice, flags, rules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <article className="narrow">
      <h1>{profile.name}</h1>
      {profile.organisation ? <p className="lead">{profile.organisation}</p> : null}
      <p className="muted">{t("members.since", { date: formatDate(profile.since, locale, timeZone) })}</p>
      {held ? <p className="form-error">{t("flag.postingHeld", { rule: held.rule })}</p> : null}

      <section className="panel" aria-labelledby="voice-heading">
        <h2 id="voice-heading">{t("voice.title")}</h2>
        <p>
          {voice.kind === "attended" || voice.kind === "hosted"
            ? t(voice.kind === "attended" ? "voice.reason.attended" : "voice.reason.hosted", { title: voice.title, date: formatDate(voice.at, locale, timeZone) })
            : voice.kind === "bootstrap"
              ? t("voice.reason.bootstrap")
              : voice.kind === "none" && voice.accountTooNew
                ? t("voice.none.tooNew")
                : t("voice.none")}
        </p>
        {voice.kind === "attended" || voice.kind === "hosted" ? (
          <p>
            <Link to={`/sessions/${voice.sessionId}`}>{voice.title}</Link>
          </p>
        ) : null}
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

      <p>
        <Link to={`/log?subject=member:${profile.id}`}>{t("log.forThis")}</Link>
      </p>

      {result?.error ? (
        <p className="form-error" role="alert">
          {t(result.error)}
        </p>
      ) : null}
      {flags ? <FlagList flags={flags} /> : null}
      {viewerHasVoice && !isSelf ? (
        <Form method="post">
          <FlagForm rules={rules} kind="member" />
        </Form>
      ) : null}
    </article>
  );
}
