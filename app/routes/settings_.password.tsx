import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { getCurrent, requireMember } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { passwordChangeSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { limitedRefusal, retryAfterHeaders } from "~/lib/retry-after.server";
import { changePassword } from "~/models/account-changes.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "settings.password.title");

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMember(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = parseForm(passwordChangeSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, retryAfter: 0 }, { status: 400 });
  const sessionId = (await getCurrent(request))?.session.id ?? "";
  const result = await changePassword(member.id, sessionId, form.data);
  if (!result.ok && result.refusal === "limited") return limitedRefusal(result.retryAfterMinutes);
  if (!result.ok) return data({ errors: { current: "settings.password.wrong" as const }, retryAfter: 0 }, { status: 400 });
  return redirect(withNotice("/settings", "passwordChanged"), 303);
}

export default function ChangePassword() {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <h1>{t("settings.password.title")}</h1>
      <p>{t("settings.password.intro")}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <RetryAfterHint minutes={result?.retryAfter} />
        <Field name="current" type="password" label={t("settings.password.current")} errors={result?.errors} required autoComplete="current-password" />
        <Field name="password" type="password" label={t("settings.password.new")} hint={t("auth.password.hint")} errors={result?.errors} required autoComplete="new-password" />
        <button type="submit" className="button" disabled={busy}>
          {t("settings.password.submit")}
        </button>
      </Form>
      <p>
        <Link to="/settings">{t("settings.back")}</Link>
      </p>
    </section>
  );
}
