import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { hashPassword, startAuthSession } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { resetSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { checkResetToken, resetPassword, ResetTokenError, type ResetTokenState } from "~/models/account.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "password.reset.title");

// A link that no longer works is "gone" (410); one that never existed is "not found" (404).
const statusFor = (state: Exclude<ResetTokenState, "valid">) => (state === "unknown" ? 404 : 410);

export function loader({ params }: LoaderFunctionArgs) {
  const state = checkResetToken(params.token ?? "");
  if (state !== "valid") return data({ state }, { status: statusFor(state) });
  return { state };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = parseForm(resetSchema, await readFormData(request));
  if (!form.ok) {
    const state = checkResetToken(token);
    if (state !== "valid") return data({ state, errors: {} }, { status: statusFor(state) });
    return data({ state, errors: form.errors }, { status: 400 });
  }
  let memberId: string;
  try {
    memberId = resetPassword(token, await hashPassword(form.data.password));
  } catch (error) {
    if (error instanceof ResetTokenError) return data({ state: error.state, errors: {} }, { status: statusFor(error.state) });
    throw error;
  }
  return redirect("/", { status: 303, headers: { "Set-Cookie": await startAuthSession(memberId, request) } });
}

const problem: Record<Exclude<ResetTokenState, "valid">, MessageKey> = {
  expired: "password.reset.expired",
  used: "password.reset.used",
  unknown: "password.reset.unknown",
};

export default function ResetPassword() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state = result?.state ?? loaded.state;
  if (state !== "valid") {
    return (
      <section className="narrow">
        <h1>{t("password.reset.title")}</h1>
        <p role="alert">{t(problem[state])}</p>
        <p>
          <Link to="/password/forgot">{t("password.reset.again")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("password.reset.title")}</h1>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <Field name="password" type="password" label={t("password.reset.new")} hint={t("auth.password.hint")} errors={result?.errors} required autoComplete="new-password" />
        <button type="submit" className="button" disabled={busy}>
          {t("password.reset.submit")}
        </button>
      </Form>
    </section>
  );
}
