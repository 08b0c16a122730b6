import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { isSameOrigin } from "~/lib/security.server";
import { memberByUnsubscribeToken, unsubscribeAll } from "~/models/account.server";

// The one-click unsubscribe link in every mail: works without logging in; the secret in the
// address is the only key. GET only shows a button (link checkers in mail programs follow GETs).
// Mail programs may also unsubscribe by themselves with one POST (RFC 8058, the List-Unsubscribe
// and List-Unsubscribe-Post headers): `List-Unsubscribe=One-Click`, from their servers, without
// an Origin; the server lets that POST through to here (isOneClickUnsubscribe).
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "unsubscribe.title");

export function loader({ params, request }: LoaderFunctionArgs) {
  const member = memberByUnsubscribeToken(params.token ?? "");
  if (!member) return data({ found: false, done: false }, { status: 404 });
  return { found: true, done: new URL(request.url).searchParams.has("done") };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const member = memberByUnsubscribeToken(token);
  if (!member) return data({ found: false, done: false }, { status: 404 });
  const form = await request.formData().catch(() => null);
  if (form?.get("List-Unsubscribe") === "One-Click") {
    unsubscribeAll(member.id);
    return data({ found: true, done: true });
  }
  // The page's button: like every other form, only from a page of this site.
  if (!isSameOrigin(request.headers.get("Origin") ?? undefined, new URL(request.url).origin)) {
    return data({ found: true, done: false }, { status: 403 });
  }
  unsubscribeAll(member.id);
  return redirect(`/unsubscribe/${token}?done`, 303);
}

export default function Unsubscribe() {
  const t = useT();
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const found = loaded.found;
  const done = loaded.done || !!acted?.done;
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
