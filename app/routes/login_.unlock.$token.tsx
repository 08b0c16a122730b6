// The link mailed to the account's member while logging in to it is slowed down: it lets the member
// log in with their password past the delay (docs/decisions/020-login-limits.md). It works for
// an hour and five password attempts, once.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError, RetryAfterHint } from "~/components/field";
import { safeRedirect, startAuthSession } from "~/lib/auth.server";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { limitedRefusal, retryAfterHeaders } from "~/lib/retry-after.server";
import { checkUnlockToken, type UnlockState } from "~/models/account.server";
import { logInWithUnlockLink } from "~/models/access.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "login.unlock.title");

export const headers = retryAfterHeaders;

// A link that no longer works is "gone" (410); one that never existed is "not found" (404).
const statusFor = (state: Exclude<UnlockState, "valid">) => (state === "unknown" ? 404 : 410);

export function loader({ params }: LoaderFunctionArgs) {
  const { state, email } = checkUnlockToken(params.token ?? "");
  if (state !== "valid") return data({ state, email: null }, { status: statusFor(state) });
  return { state, email };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const answer = await logInWithUnlockLink(params.token ?? "", request, context.clientAddress);
  switch (answer.kind) {
    case "limited":
      return limitedRefusal(answer.retryAfterMinutes, { state: "valid" as UnlockState });
    case "link":
      return data({ state: answer.state, errors: {}, retryAfter: 0 }, { status: statusFor(answer.state) });
    case "invalid":
      return data({ state: "valid" as UnlockState, errors: answer.errors, retryAfter: 0 }, { status: 400 });
    case "failed":
      return data({ state: "valid" as UnlockState, errors: { form: "login.failed" as const }, retryAfter: 0 }, { status: 400 });
    case "in":
      return redirect(safeRedirect(answer.redirectTo), { status: 303, headers: { "Set-Cookie": await startAuthSession(answer.memberId, request) } });
  }
}

const problem: Record<Exclude<UnlockState, "valid">, MessageKey> = {
  expired: "login.unlock.expired",
  spent: "login.unlock.spent",
  unknown: "login.unlock.unknown",
};

export default function UnlockLogin() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state = result?.state ?? loaded.state;
  if (state !== "valid") {
    return (
      <section className="narrow">
        <h1>{t("login.unlock.title")}</h1>
        <p role="alert">{t(problem[state])}</p>
        <p>
          <Link to="/login">{t("login.unlock.toLogin")}</Link>
        </p>
        <p>
          <Link to="/password/forgot">{t("login.forgotPassword")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("login.unlock.title")}</h1>
      <p>{t("login.unlock.intro")}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <RetryAfterHint minutes={result?.retryAfter} />
        {/* Whose account this is, also for the password manager. */}
        <p>{t("login.unlock.account", { email: loaded.email ?? "" })}</p>
        <input type="hidden" name="username" value={loaded.email ?? ""} autoComplete="username" />
        <Field name="password" type="password" label={t("auth.password")} errors={result?.errors} required autoComplete="current-password" />
        <button type="submit" className="button" disabled={busy}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/password/forgot">{t("login.forgotPassword")}</Link>
      </p>
    </section>
  );
}
