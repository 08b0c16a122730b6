import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { endAuthSession, requireMember } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { deleteSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { limitedRefusal, retryAfterHeaders } from "~/lib/retry-after.server";
import { leaveNetwork } from "~/models/account-changes.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "settings.leave");

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireMember(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = parseForm(deleteSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, retryAfter: 0 }, { status: 400 });
  // The same counter as failed logins: a borrowed session cannot be used to guess the password.
  const left = await leaveNetwork(member.id, form.data.password);
  if (!left.ok && left.refusal === "limited") return limitedRefusal(left.retryAfterMinutes);
  if (!left.ok) return data({ errors: { password: "settings.leave.wrongPassword" as const }, retryAfter: 0 }, { status: 400 });
  return redirect(withNotice("/", "accountDeleted"), { status: 303, headers: { "Set-Cookie": await endAuthSession(request) } });
}

export default function DeleteAccount() {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <h1>{t("settings.leave")}</h1>
      <p>{t("settings.leave.intro")}</p>
      <ul>
        <li>{t("settings.leave.what.registrations")}</li>
        <li>{t("settings.leave.what.hosting")}</li>
        <li>{t("settings.leave.what.personal")}</li>
        <li>{t("settings.leave.what.contributions")}</li>
      </ul>
      <p>
        <a href="/settings/export.json" download>
          {t("settings.data.download")}
        </a>
      </p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <RetryAfterHint minutes={result?.retryAfter} />
        <Field name="password" type="password" label={t("settings.leave.password")} errors={result?.errors} required autoComplete="current-password" />
        <button type="submit" className="button danger" disabled={busy}>
          {t("settings.leave.submit")}
        </button>
      </Form>
      <p>
        <Link to="/settings">{t("settings.leave.cancel")}</Link>
      </p>
    </section>
  );
}
