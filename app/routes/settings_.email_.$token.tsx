import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { confirmEmailChange, emailChangePage, type EmailChangeState } from "~/models/account-changes.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "settings.email.confirm.title");

// Links in mails are opened by scanners: showing the page changes nothing, only the button does.
// A link that no longer works is "gone" (410), one that never existed "not found" (404), an
// address another account took meanwhile a conflict (409).
const statusFor = (state: Exclude<EmailChangeState, "valid">) => (state === "unknown" ? 404 : state === "taken" ? 409 : 410);

export function loader({ params }: LoaderFunctionArgs) {
  const page = emailChangePage(params.token ?? "");
  if (page.state !== "valid") return data({ state: page.state as EmailChangeState, newEmail: null }, { status: statusFor(page.state) });
  return { state: page.state as EmailChangeState, newEmail: page.newEmail };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await readFormData(request);
  const { state } = confirmEmailChange(params.token ?? "");
  if (state !== "valid") return data({ state }, { status: statusFor(state) });
  return redirect(withNotice("/settings", "emailChanged"), 303);
}

const problem: Record<Exclude<EmailChangeState, "valid">, MessageKey> = {
  expired: "settings.email.confirm.expired",
  used: "settings.email.confirm.used",
  unknown: "settings.email.confirm.unknown",
  taken: "settings.email.confirm.taken",
};

export default function ConfirmEmail() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state = result?.state ?? loaded.state;
  if (state !== "valid" || !loaded.newEmail) {
    return (
      <section className="narrow">
        <h1>{t("settings.email.confirm.title")}</h1>
        <p role="alert">{t(problem[state === "valid" ? "unknown" : state])}</p>
        <p>
          <Link to="/settings">{t("settings.email.confirm.again")}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow">
      <h1>{t("settings.email.confirm.title")}</h1>
      <p>{t("settings.email.confirm.intro", { email: loaded.newEmail })}</p>
      <Form method="post">
        <button type="submit" className="button" disabled={busy}>
          {t("settings.email.confirm.submit")}
        </button>
      </Form>
    </section>
  );
}
