import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { requireMember } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { emailChangeSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { emailSettingsOf, requestEmailChange } from "~/models/account-changes.server";
import { limitedRefusal, retryAfterHeaders } from "~/lib/retry-after.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "settings.email.title");

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  return { email: emailSettingsOf(member.id).email };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = parseForm(emailChangeSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: { email: form.values.email ?? "" }, retryAfter: 0 }, { status: 400 });
  const result = await requestEmailChange(member.id, form.data);
  const values = { email: form.data.email };
  if (!result.ok && result.refusal === "limited") return limitedRefusal(result.retryAfterMinutes ?? 0, { values });
  if (!result.ok && result.refusal === "same") return data({ errors: { email: "settings.email.same" as const }, values, retryAfter: 0 }, { status: 400 });
  if (!result.ok) return data({ errors: { password: "settings.password.wrong" as const }, values, retryAfter: 0 }, { status: 400 });
  return redirect(withNotice("/settings", "emailChangeSent"), 303);
}

export default function ChangeEmail() {
  const t = useT();
  const { email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <h1>{t("settings.email.title")}</h1>
      <p>{t("settings.email.intro", { email })}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <RetryAfterHint minutes={result?.retryAfter} />
        <Field name="email" type="email" label={t("settings.email.new")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="email" inputMode="email" />
        <Field name="password" type="password" label={t("settings.email.password")} errors={result?.errors} required autoComplete="current-password" />
        <button type="submit" className="button" disabled={busy}>
          {t("settings.email.submit")}
        </button>
      </Form>
      <p>
        <Link to="/settings">{t("settings.back")}</Link>
      </p>
    </section>
  );
}
