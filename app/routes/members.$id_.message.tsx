import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { requireMember } from "~/lib/auth.server";
import { contactSchema } from "~/lib/form-schemas.server";
import { parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { contactPage, ContactRefusedError, sendMemberMessage } from "~/models/contact.server";

export const meta: MetaFunction = ({ matches }) => [...titleMeta(matches, "contact.title.short"), { name: "robots", content: "noindex" }];

// Visitors are sent to log in first, and come back here (requireMember adds redirectTo).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const page = contactPage(params.id ?? "", member.id);
  if (!page) throw data(null, { status: 404 });
  const sent = new URL(request.url).searchParams.get("sent") === "1";
  return data({ ...page, sent }, { status: page.refusal && !sent ? page.refusal.status : 200 });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = params.id ?? "";
  const form = parseForm(contactSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, refusal: null }, { status: 400 });
  try {
    sendMemberMessage(member.id, id, form.data);
  } catch (error) {
    if (!(error instanceof ContactRefusedError)) throw error;
    const refusal = { messageKey: error.messageKey as MessageKey, status: error.status };
    return data({ errors: undefined, values: { body: form.data.body } as Record<string, string>, refusal }, { status: error.status });
  }
  return redirect(`/members/${encodeURIComponent(id)}/message?sent=1`, 303);
}

export default function MessageMember() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const name = page.recipient.name || t("member.former");
  const refusal = result?.refusal ?? (page.sent ? null : page.refusal);
  // A refusal of the whole form is its FormError, which takes the focus (docs/forms-refusals.md).
  const errors: FieldErrors | undefined = refusal ? { form: refusal.messageKey } : result?.errors;
  const params = { name, n: page.perDay };
  const back = (
    <p>
      <Link to={`/members/${page.recipient.id}`}>← {t("contact.backToProfile", { name })}</Link>
    </p>
  );
  return (
    <section className="narrow">
      <h1>{t("contact.title", { name })}</h1>
      {page.sent ? (
        <p className="notice" role="status">
          {t("contact.sent", { name })}
        </p>
      ) : null}
      {/* Over the limit after typing, the text stays in the form to be copied; other refusals end here. */}
      {refusal && result?.refusal?.status !== 429 ? (
        <>
          <FormError errors={errors} params={params} />
          {back}
        </>
      ) : (
        <>
          <p>{t("contact.intro", { name })}</p>
          <Form method="post" noValidate>
            <FormError errors={errors} params={params} />
            <Field name="body" label={t("contact.body")} hint={t("contact.body.hint", { n: page.messageMax })} errors={result?.errors} defaultValue={result?.values.body} required multiline rows={8} maxLength={page.messageMax} />
            <div className="choices">
              <label className="choice">
                <input type="checkbox" name="replyTo" value="on" defaultChecked={result?.values.replyTo === "on"} />
                <span>
                  {t("contact.replyTo", { name })} <span className="hint">{t("contact.replyTo.hint", { name })}</span>
                </span>
              </label>
            </div>
            <p className="hint">{t("contact.limit.hint", { n: page.perDay })}</p>
            <button type="submit" className="button" disabled={busy}>
              {t("contact.submit")}
            </button>
          </Form>
          {back}
        </>
      )}
    </section>
  );
}
