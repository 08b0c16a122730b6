import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/field";
import { rateLimitRules } from "~/governance/config";
import { getMember, safeRedirect, startAuthSession, verifyPassword } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { findMemberByEmail, normaliseEmail } from "~/models/members.server";
import { hitRateLimit, peekRateLimit } from "~/models/rate-limits.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "login.title");

const loginSchema = z.object({
  email: z.string({ error: "login.failed" }).min(1, { error: "auth.email.required" }).max(254, { error: "login.failed" }),
  password: z.string({ error: "auth.password.required" }).min(1, { error: "auth.password.required" }).max(200, { error: "login.failed" }),
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getMember(request)) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const byAddress = hitRateLimit(`login:address:${context.clientAddress}`, rateLimitRules.loginPerAddress);
  if (!byAddress.allowed) {
    return data({ errors: { form: "auth.rateLimited" as const }, values: {} as Record<string, string>, retryAfter: byAddress.retryAfterMinutes }, { status: 429 });
  }
  const form = parseForm(loginSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, retryAfter: 0 }, { status: 400 });

  const email = normaliseEmail(form.data.email);
  // Counted per address typed, whether or not an account has it, so the limit reveals nothing.
  const accountKey = `login:account:${email}`;
  const byAccount = peekRateLimit(accountKey, rateLimitRules.loginFailuresPerAccount);
  if (!byAccount.allowed) {
    return data({ errors: { form: "auth.rateLimited" as const }, values: { email }, retryAfter: byAccount.retryAfterMinutes }, { status: 429 });
  }
  const member = findMemberByEmail(email);
  const valid = await verifyPassword(member?.passwordHash ?? null, form.data.password);
  if (!member || !valid) {
    hitRateLimit(accountKey, rateLimitRules.loginFailuresPerAccount);
    return data({ errors: { form: "login.failed" as const }, values: { email }, retryAfter: 0 }, { status: 400 });
  }
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
  return (
    <section className="narrow">
      <h1>{t("login.title")}</h1>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        {result?.retryAfter ? <p className="hint">{t("auth.retryAfter", { minutes: result.retryAfter })}</p> : null}
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
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
        {t("login.noAccount")} <Link to="/signup">{t("nav.signup")}</Link>
      </p>
    </section>
  );
}
