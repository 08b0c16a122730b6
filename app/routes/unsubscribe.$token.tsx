import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { memberByUnsubscribeToken, unsubscribeAll } from "~/models/account.server";

// The one-click unsubscribe link in every mail: works without logging in; the secret in the
// address is the only key. GET only shows a button (link checkers in mail programs follow GETs).
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "unsubscribe.title");

export function loader({ params, request }: LoaderFunctionArgs) {
  const member = memberByUnsubscribeToken(params.token ?? "");
  if (!member) return data({ found: false, done: false }, { status: 404 });
  return { found: true, done: new URL(request.url).searchParams.has("done") };
}

export function action({ params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const member = memberByUnsubscribeToken(token);
  if (!member) return data({ found: false }, { status: 404 });
  unsubscribeAll(member.id);
  return redirect(`/unsubscribe/${token}?done`, 303);
}

export default function Unsubscribe() {
  const t = useT();
  const { found, done } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>{t("unsubscribe.title")}</h1>
      {!found ? (
        <p role="alert">{t("unsubscribe.unknown")}</p>
      ) : done ? (
        <p role="status">{t("unsubscribe.done")}</p>
      ) : (
        <>
          <p>{t("unsubscribe.intro")}</p>
          <Form method="post">
            <button type="submit" className="button">
              {t("unsubscribe.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/settings">{t("unsubscribe.settings")}</Link>
      </p>
    </section>
  );
}
