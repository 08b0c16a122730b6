import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { rateLimitRules } from "~/governance/config";
import { decoySessionCookie, getMember, hashPassword, startAuthSession } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { signupSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { mailSignupWithKnownAddress } from "~/models/account.server";
import { foundIfFirst } from "~/models/founders.server";
import { welcomePath } from "~/models/home-page.server";
import { createMember, EmailTakenError, findMemberByEmail } from "~/models/members.server";
import { addressKey, hitRateLimit } from "~/models/rate-limits.server";
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
  const form = parseForm(signupSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, retryAfter: 0 }, { status: 400 });
  // Counted once the form is complete, before any work: only accepted sign-ups use up the limit.
  const limit = hitRateLimit(`signup:address:${addressKey(context.clientAddress)}`, rateLimitRules.signupPerAddress);
  if (!limit.allowed) {
    // What was typed comes back (never the password), to send again once the hour is up.
    return limitedRefusal(limit.retryAfterMinutes, { values: { displayName: form.data.displayName, email: form.data.email } as Record<string, string> });
  }

  const { email, password, displayName } = form.data;
  // Hashed either way, so that the time taken does not tell a known address from a new one.
  const passwordHash = await hashPassword(password);
  let cookie: string | null = null;
  if (!findMemberByEmail(email)) {
    try {
      const memberId = createMember({ email, passwordHash, displayName, locale: resolveLocale(request, null) });
      // The first account of a fresh network is its first founder (governance.md §1).
      foundIfFirst(memberId);
      cookie = await startAuthSession(memberId, request);
    } catch (error) {
      // Two sign-ups for one address at once: the other one made the account.
      if (!(error instanceof EmailTakenError)) throw error;
    }
  }
  if (!cookie) {
    const holder = findMemberByEmail(email);
    if (holder) mailSignupWithKnownAddress(holder.id);
    cookie = decoySessionCookie(request);
  }
  // A short start page first (the same for a known address: the answer must not differ), then on.
  return redirect(welcomePath(form.data.redirectTo), { status: 303, headers: { "Set-Cookie": cookie } });
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
