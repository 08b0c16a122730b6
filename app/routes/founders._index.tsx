import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { requireMember } from "~/lib/auth.server";
import { parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { founderYesSchema, inviteSchema } from "~/lib/form-schemas.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDate, formatDateTime } from "~/lib/time";
import { FounderRefusedError, foundersPage, inviteFounder, sayYesToFounder } from "~/models/founders.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "founder.title");

// Founders invite founders while the network starts up, and say yes to those who accepted
// (governance.md §1).
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return foundersPage(member.id);
}

type Result = { errors?: FieldErrors; values: Record<string, string>; sent: boolean; yes?: "founder" | "waiting" };

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  try {
    if (formData.get("intent") === "yes") {
      const form = parseForm(founderYesSchema, formData);
      if (!form.ok) return data<Result>({ errors: { form: "founder.invalid" }, values: {}, sent: false }, { status: 404 });
      return data<Result>({ values: {}, sent: false, yes: sayYesToFounder(member.id, form.data.invitation) });
    }
    const form = parseForm(inviteSchema, formData);
    if (!form.ok) return data<Result>({ errors: form.errors, values: form.values, sent: false }, { status: 400 });
    inviteFounder(member.id, form.data.email, resolveLocale(request, member.locale));
    return data<Result>({ values: {}, sent: true });
  } catch (error) {
    if (!(error instanceof FounderRefusedError)) throw error;
    const email = formData.get("email");
    return data<Result>({ errors: { form: error.messageKey }, values: typeof email === "string" ? { email: email.slice(0, 254) } : {}, sent: false }, { status: error.status });
  }
}

export default function Founders() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { panel, voters, waiting, mine, max, days } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <h1>{t("founder.title")}</h1>
      <p className="lead">{t("founder.intro", { max })}</p>
      {result?.yes ? (
        <p className="notice" role="status">
          {t(result.yes === "founder" ? "founder.yes.joined" : "founder.yes.counted")}
        </p>
      ) : null}
      {mine ? <p className="notice">{t("founder.mine", { missing: mine.needed - mine.yes, until: formatDate(mine.until, locale, timeZone) })}</p> : null}
      {/* First: a founder who comes from the mail asking for a yes finds it at the top. */}
      {waiting.length ? (
        <section aria-labelledby="founders-waiting">
          <h2 id="founders-waiting">{t("founder.waiting.title")}</h2>
          <p>{t("founder.waiting.intro", { needed: waiting[0].needed, n: voters })}</p>
          <ul className="plain">
            {waiting.map((w) => (
              <li key={w.invitation}>
                <p>
                  <Link to={`/members/${w.memberId}`}>{w.name}</Link>.{" "}
                  {t("founder.waiting.item", { inviter: w.invitedBy ?? t("founder.waiting.unknownInviter"), missing: w.needed - w.yes, until: formatDate(w.until, locale, timeZone) })}
                </p>
                {w.canSayYes ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="yes" />
                    <input type="hidden" name="invitation" value={w.invitation} />
                    <button type="submit" className="button" disabled={busy}>
                      {t("founder.yes.submit", { name: w.name })}
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {!panel ? (
        <>
          <FormError errors={result?.errors} />
          {mine ? null : <p className="notice">{t("founder.notFounder")}</p>}
        </>
      ) : (
        <>
          {waiting.length ? <h2>{t("founder.link")}</h2> : null}
          {result?.sent ? (
            <p className="notice" role="status">
              {t("founder.sent", { days })}
            </p>
          ) : null}
          <FormError errors={result?.errors} />
          <p>{t("founder.places", { n: panel.places })}</p>
          {panel.canInvite ? (
            <Form method="post" noValidate>
              <Field name="email" type="email" label={t("founder.email")} hint={t("founder.email.hint")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="off" inputMode="email" />
              <button type="submit" className="button" disabled={busy}>
                {t("founder.invite")}
              </button>
            </Form>
          ) : (
            <p className="notice">{panel.voiceFrom ? t("founder.voiceFrom", { date: formatDateTime(panel.voiceFrom, locale, timeZone) }) : t(panel.reason ?? "founder.notFounder")}</p>
          )}
        </>
      )}
      <p>
        <Link to="/how-it-works">{t("how.title")}</Link> · <Link to="/log?group=founder">{t("log.group.founder")}</Link>
      </p>
    </section>
  );
}
