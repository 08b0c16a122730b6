import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { governance } from "~/governance/config";
import { requireMember } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { inviteSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { FounderRefusedError, founderInvitePanel, inviteFounder } from "~/models/founders.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "founder.title");

// Founders invite founders while the network starts up (governance.md §1).
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return { panel: founderInvitePanel(member.id), max: governance.maxFounders, days: governance.founderInvitationDays };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = parseForm(inviteSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, sent: false }, { status: 400 });
  try {
    inviteFounder(member.id, form.data.email, resolveLocale(request, member.locale));
  } catch (error) {
    if (!(error instanceof FounderRefusedError)) throw error;
    return data({ errors: { form: error.messageKey }, values: { email: form.data.email } as Record<string, string>, sent: false }, { status: error.status });
  }
  return { errors: undefined, values: {} as Record<string, string>, sent: true };
}

export default function Founders() {
  const t = useT();
  const { panel, max, days } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <h1>{t("founder.title")}</h1>
      <p className="lead">{t("founder.intro", { max })}</p>
      {!panel ? (
        <>
          <FormError errors={result?.errors} />
          <p className="notice">{t("founder.notFounder")}</p>
        </>
      ) : (
        <>
          {result?.sent ? (
            <p className="notice" role="status">
              {t("founder.sent", { days })}
            </p>
          ) : null}
          <p>{t("founder.places", { n: panel.places })}</p>
          {!panel.canInvite ? <FormError errors={result?.errors} /> : null}
          {panel.canInvite ? (
            <Form method="post" noValidate>
              <FormError errors={result?.errors} />
              <Field name="email" type="email" label={t("founder.email")} hint={t("founder.email.hint")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="off" inputMode="email" />
              <button type="submit" className="button" disabled={busy}>
                {t("founder.invite")}
              </button>
            </Form>
          ) : (
            <p className="notice">{t(panel.reason ?? "founder.notFounder")}</p>
          )}
        </>
      )}
      <p>
        <Link to="/how-it-works">{t("how.title")}</Link> · <Link to="/log?group=founder">{t("log.group.founder")}</Link>
      </p>
    </section>
  );
}
