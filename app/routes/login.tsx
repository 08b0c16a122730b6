import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { getMember, safeRedirect, startAuthSession } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { logIn } from "~/models/access.server";
import { retryAfterHeaders } from "~/lib/retry-after.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "login.title", undefined, { key: "meta.description.login" });

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getMember(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

type Refusal = { form: "auth.rateLimited" | "login.slowed" };

function refused(errors: Refusal, values: Record<string, string>, retryAfterSeconds: number) {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return data({ errors, values, retryAfter, retryAfterSeconds }, { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } });
}

// Both limits are counted before the password is checked (docs/decisions/020-login-limits.md).
export async function action({ request, context }: ActionFunctionArgs) {
  const answer = await logIn(request, context.clientAddress);
  switch (answer.kind) {
    case "limited":
      return refused({ form: "auth.rateLimited" }, {}, answer.retryAfterSeconds);
    case "invalid":
      return data({ errors: answer.errors, values: answer.values, retryAfter: 0, retryAfterSeconds: 0 }, { status: 400 });
    case "slowed":
      return refused({ form: "login.slowed" }, { email: answer.email }, answer.retryAfterSeconds);
    case "failed":
      return data({ errors: { form: "login.failed" as const }, values: { email: answer.email }, retryAfter: 0, retryAfterSeconds: 0 }, { status: 400 });
    case "in":
      return redirect(safeRedirect(answer.redirectTo), { status: 303, headers: { "Set-Cookie": await startAuthSession(answer.memberId, request) } });
  }
}

export default function Login() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const redirectTo = params.get("redirectTo") ?? "/";
  const back = redirectTo !== "/" ? `?redirectTo=${encodeURIComponent(redirectTo)}` : "";
  return (
    <section className="narrow">
      <h1>{t("login.title")}</h1>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        {result?.retryAfterSeconds ? (
          <p className="hint">
            {result.retryAfterSeconds < 60 ? t("auth.retryAfterSeconds", { seconds: result.retryAfterSeconds }) : t("auth.retryAfter", { minutes: result.retryAfter })}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="email" type="email" label={t("auth.email")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="email" inputMode="email" />
        <Field name="password" type="password" label={t("auth.password")} errors={result?.errors} required autoComplete="current-password" />
        <button type="submit" className="button" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/password/forgot">{t("login.forgotPassword")}</Link>
      </p>
      <p>
        {t("login.noAccount")} <Link to={`/signup${back}`}>{t("nav.signup")}</Link>
      </p>
    </section>
  );
}
