import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field } from "~/components/field";
import { ContactLink } from "~/components/contact-link";
import { getMember, requireMember } from "~/lib/auth.server";
import { parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDate } from "~/lib/time";
import { nowInput, nowPage, postNow, ProfileRefusedError } from "~/models/profiles.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "now.page.title", undefined, { key: "now.page.intro" });

export async function loader({ request }: LoaderFunctionArgs) {
  return nowPage(await getMember(request));
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = parseForm(nowInput, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
  try {
    postNow(member.id, form.data.now, new Date(), { once: true });
  } catch (error) {
    if (error instanceof ProfileRefusedError) return data({ errors: { now: error.messageKey } as FieldErrors, values: { now: form.data.now } }, { status: error.status });
    throw error;
  }
  return redirect("/now", 303);
}

// What people in the network are doing now, and what that connects to.
export default function NowPage() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { loggedIn, viewerId, held, updates, limit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>{t("now.page.title")}</h1>
      <p className="lead">{t("now.page.intro")}</p>
      {held ? (
        <p className="form-error">{t("profile.held")}</p>
      ) : loggedIn ? (
        <Form method="post" noValidate className="stack narrow">
          <Field name="now" label={t("now.label")} hint={t("now.hint")} errors={result?.errors} defaultValue={result?.values.now} required maxLength={limit} multiline rows={2} />
          <button type="submit" className="button">
            {t("now.submit")}
          </button>
        </Form>
      ) : (
        <p>
          <Link to="/login?redirectTo=%2Fnow">{t("nav.login")}</Link>
        </p>
      )}
      {updates.length ? (
        <ol className="cards single">
          {updates.map((u) => (
            <li key={u.id} className="card">
              <p className="card-meta">
                <Link to={`/members/${u.memberId}`}>{u.displayName}</Link>
                {u.organisation ? <span>{u.organisation}</span> : null}
                <span>{formatDate(u.createdAt, locale, timeZone)}</span>
              </p>
              <p className="now-line">{u.text}</p>
              {u.memberId !== viewerId && u.contactOpen ? (
                <p>
                  <ContactLink memberId={u.memberId} name={u.displayName} state="open" />
                </p>
              ) : null}
              {u.initiatives.length || u.people.length ? (
                <p className="muted">
                  {t("now.connects")}{" "}
                  {[
                    ...u.initiatives.map((i) => (
                      <Link key={`i${i.id}`} to={`/initiatives/${i.id}`}>
                        {i.title}
                      </Link>
                    )),
                    ...u.people.map((p) => (
                      <Link key={`p${p.id}`} to={`/members/${p.id}`}>
                        {p.displayName}
                      </Link>
                    )),
                  ].flatMap((link, i) => (i ? [", ", link] : [link]))}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">{t("now.none")}</p>
      )}
    </>
  );
}
