import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { decoySessionCookie, getMember, startAuthSession } from "~/lib/auth.server";
import { signUp } from "~/models/access.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { limitedRefusal, retryAfterHeaders } from "~/lib/retry-after.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "signup.title", undefined, { key: "signup.intro" });

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getMember(request)) throw redirect("/");
  return null;
}

/**
 * A sign-up with an address that already has an account gets the very answer of a new sign-up
 * (the same redirect, a session cookie of the same form, the same argon2 hashing first), but
 * logs nobody in: the member gets a mail instead (docs/decisions/005 and 020).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const answer = await signUp(request, context.clientAddress);
  switch (answer.kind) {
    case "invalid":
      return data({ errors: answer.errors, values: answer.values, retryAfter: 0 }, { status: 400 });
    case "limited":
      return limitedRefusal(answer.retryAfterMinutes, { values: answer.values });
    case "new":
      return redirect(answer.to, { status: 303, headers: { "Set-Cookie": await startAuthSession(answer.memberId, request) } });
    case "known":
      return redirect(answer.to, { status: 303, headers: { "Set-Cookie": decoySessionCookie(request) } });
  }
}

export default function Signup() {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "/";
  const back = redirectTo !== "/" ? `?redirectTo=${encodeURIComponent(redirectTo)}` : "";
  return (
    <section className="narrow">
      <h1>{t("signup.title")}</h1>
      <p className="lead">{t("signup.intro")}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <RetryAfterHint minutes={result?.retryAfter} />
        <Field name="displayName" label={t("auth.displayName")} hint={t("auth.displayName.hint")} errors={result?.errors} defaultValue={result?.values.displayName} required maxLength={80} autoComplete="name" />
        <Field name="email" type="email" label={t("auth.email")} hint={t("auth.email.hint")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="email" inputMode="email" />
        <Field name="password" type="password" label={t("auth.password")} hint={t("auth.password.hint")} errors={result?.errors} required autoComplete="new-password" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit" className="button" disabled={busy}>
          {t("signup.submit")}
        </button>
      </Form>
      <p>
        {t("signup.haveAccount")} <Link to={`/login${back}`}>{t("nav.login")}</Link>
      </p>
    </section>
  );
}
