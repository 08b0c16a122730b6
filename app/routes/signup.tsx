import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Field, FormError } from "~/components/field";
import { rateLimitRules } from "~/governance/config";
import { getMember, hashPassword, safeRedirect, startAuthSession, verifyPassword } from "~/lib/auth.server";
import { parseForm, readFormData, requiredText } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { foundIfFirst } from "~/models/founders.server";
import { createMember, EmailTakenError, findMemberByEmail } from "~/models/members.server";
import { hitRateLimit } from "~/models/rate-limits.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "signup.title");

const signupSchema = z.object({
  email: z.email({ error: "auth.email.invalid" }).max(254, { error: "auth.email.invalid" }),
  // Where to go afterwards, such as a founder's invitation link; only a path on this site.
  redirectTo: z.string().max(500).optional(),
  password: z
    .string({ error: "auth.password.tooShort" })
    .min(10, { error: "auth.password.tooShort" })
    .max(200, { error: "auth.password.tooLong" }),
  displayName: requiredText(80, "auth.displayName.required", "auth.displayName.tooLong"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getMember(request)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const limit = hitRateLimit(`signup:address:${context.clientAddress}`, rateLimitRules.signupPerAddress);
  if (!limit.allowed) {
    return data({ errors: { form: "auth.rateLimited" as const }, values: {} as Record<string, string>, retryAfter: limit.retryAfterMinutes }, { status: 429 });
  }
  const form = parseForm(signupSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, retryAfter: 0 }, { status: 400 });

  const { email, password, displayName } = form.data;
  const existing = findMemberByEmail(email);
  let memberId: string;
  if (existing) {
    // Someone signing up again with their own address and password is simply logged in;
    // anyone else gets the same neutral message as for any other refusal.
    if (!(await verifyPassword(existing.passwordHash, password))) {
      return data({ errors: { form: "signup.failed" as const }, values: { email, displayName }, retryAfter: 0 }, { status: 400 });
    }
    memberId = existing.id;
  } else {
    try {
      memberId = createMember({
        email,
        passwordHash: await hashPassword(password),
        displayName,
        locale: resolveLocale(request, null),
      });
      // The first account of a fresh network is its first founder (governance.md §1).
      foundIfFirst(memberId);
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
      return data({ errors: { form: "signup.failed" as const }, values: { email, displayName }, retryAfter: 0 }, { status: 400 });
    }
  }
  return redirect(safeRedirect(form.data.redirectTo), { status: 303, headers: { "Set-Cookie": await startAuthSession(memberId, request) } });
}

export default function Signup() {
  const t = useT();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "/";
  return (
    <section className="narrow">
      <h1>{t("signup.title")}</h1>
      <p className="lead">{t("signup.intro")}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        {result?.retryAfter ? <p className="hint">{t("auth.retryAfter", { minutes: result.retryAfter })}</p> : null}
        <Field name="displayName" label={t("auth.displayName")} hint={t("auth.displayName.hint")} errors={result?.errors} defaultValue={result?.values.displayName} required maxLength={80} autoComplete="name" />
        <Field name="email" type="email" label={t("auth.email")} hint={t("auth.email.hint")} errors={result?.errors} defaultValue={result?.values.email} required autoComplete="email" inputMode="email" />
        <Field name="password" type="password" label={t("auth.password")} hint={t("auth.password.hint")} errors={result?.errors} required autoComplete="new-password" />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <button type="submit" className="button" disabled={busy}>
          {t("signup.submit")}
        </button>
      </Form>
      <p>
        {t("signup.haveAccount")} <Link to="/login">{t("nav.login")}</Link>
      </p>
    </section>
  );
}
