import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { rateLimitRules } from "~/governance/config";
import { getMember, safeRedirect, startAuthSession, verifyPassword } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { loginSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { offerLoginUnlock } from "~/models/account.server";
import { findMemberByEmail, normaliseEmail } from "~/models/members.server";
import { addressKey, claimWithDelay, forgetFreeAttempts, hitRateLimit, refundRateLimit } from "~/models/rate-limits.server";
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
  const now = Date.now();
  const addressLimitKey = `login:address:${addressKey(context.clientAddress)}`;
  const byAddress = hitRateLimit(addressLimitKey, rateLimitRules.loginPerAddress, now);
  if (!byAddress.allowed) return refused({ form: "auth.rateLimited" }, {}, byAddress.retryAfterMinutes * 60);
  const form = parseForm(loginSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, retryAfter: 0, retryAfterSeconds: 0 }, { status: 400 });

  const email = normaliseEmail(form.data.email);
  // Per address typed, whether or not an account has it, so the delay reveals nothing. The
  // attempt is claimed here, synchronously: of a hundred guesses sent at once, `limit` are checked.
  const accountKey = `login:account:${email}`;
  const byAccount = claimWithDelay(accountKey, rateLimitRules.loginPerAccount, now);
  if (!byAccount.allowed) {
    // The member (if there is one) gets a link that logs in past the delay.
    offerLoginUnlock(email);
    return refused({ form: "login.slowed" }, { email }, byAccount.retryAfterSeconds);
  }
  const member = findMemberByEmail(email);
  const valid = await verifyPassword(member?.passwordHash ?? null, form.data.password);
  if (!member || !valid) {
    return data({ errors: { form: "login.failed" as const }, values: { email }, retryAfter: 0, retryAfterSeconds: 0 }, { status: 400 });
  }
  // The member's own typos are forgotten, and the address gets its attempt back; an account that
  // is being slowed down stays so until a day without attempts.
  forgetFreeAttempts(accountKey, rateLimitRules.loginPerAccount);
  refundRateLimit(addressLimitKey, rateLimitRules.loginPerAddress, now);
  return redirect(safeRedirect(form.data.redirectTo), {
    status: 303,
    headers: { "Set-Cookie": await startAuthSession(member.id, request) },
  });
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
