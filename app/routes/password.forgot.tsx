import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { askPasswordReset } from "~/models/access.server";
import { limitedRefusal, retryAfterHeaders } from "~/lib/retry-after.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "password.forgot.title");

export const headers = retryAfterHeaders;

// Limited per network address only, and openly: over the limit the page says so and when to try
// again. A limit per address typed would let anyone use up the member's own requests.
export async function action({ request, context }: ActionFunctionArgs) {
  const answer = await askPasswordReset(request, context.clientAddress);
  if (answer.kind === "invalid") return data({ sent: false, errors: answer.errors, values: answer.values, retryAfter: 0 }, { status: 400 });
  if (answer.kind === "limited") return limitedRefusal(answer.retryAfterMinutes, { sent: false, values: { email: answer.email } }, "password.forgot.limited");
  // The answer is the same whether or not an account has this address.
  return { sent: true, errors: {}, values: { email: answer.email }, retryAfter: 0 };
}

export default function ForgotPassword() {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result?.sent) {
    return (
      <section className="narrow">
        <h1>{t("password.forgot.title")}</h1>
        <p role="status">{t("password.forgot.sent")}</p>
        <p>
          <Link to="/login">{t("password.backToLogin")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("password.forgot.title")}</h1>
      <p>{t("password.forgot.intro")}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <RetryAfterHint minutes={result?.retryAfter} />
        <Field name="email" type="email" label={t("auth.email")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="email" inputMode="email" />
        <button type="submit" className="button" disabled={busy}>
          {t("password.forgot.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("password.backToLogin")}</Link>
      </p>
    </section>
  );
}
