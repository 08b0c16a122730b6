import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { requireHostedSession } from "~/lib/host-access.server";
import { parseForm, readFormData } from "~/lib/forms";
import { messageSchema } from "~/lib/form-schemas.server";
import { useT } from "~/lib/i18n/react";
import { errorMeta, titleMeta } from "~/lib/meta";
import { MessageLimitError, messageParticipants } from "~/models/sessions.server";
import { ErrorPage } from "~/components/error-page";

// Its own boundary: a refusal thrown by the action keeps the root's data (components/error-page).
export const ErrorBoundary = ErrorPage;

export const meta: MetaFunction = ({ matches, error }) => (error ? errorMeta(matches, error) : titleMeta(matches, "session.message.title"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await requireHostedSession(request, params.id);
  return { id: session.id, title: session.initiativeTitle };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { member, session } = await requireHostedSession(request, params.id);
  const form = parseForm(messageSchema, await readFormData(request));
  if (!form.ok) return data({ errors: form.errors, values: form.values, sent: null }, { status: 400 });
  try {
    const sent = messageParticipants(session.id, member.id, form.data);
    return { errors: undefined, values: {} as Record<string, string>, sent };
  } catch (error) {
    if (!(error instanceof MessageLimitError)) throw error;
    return data({ errors: { form: "session.message.limit" as const }, values: form.data as Record<string, string>, sent: null }, { status: 429 });
  }
}

export default function MessageParticipants() {
  const t = useT();
  const { id, title } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow">
      <p>
        <Link to={`/sessions/${id}`}>← {t("session.details")}</Link>
      </p>
      <h1>{t("session.message.title")}</h1>
      <p className="lead">{title}</p>
      {result?.sent !== null && result?.sent !== undefined ? (
        <p className="notice" role="status">
          {t("session.message.sent", { n: result.sent })}
        </p>
      ) : null}
      <p>{t("session.message.intro")}</p>
      <Form method="post" noValidate>
        <FormError errors={result?.errors} />
        <Field name="subject" label={t("session.message.subject")} errors={result?.errors} defaultValue={result?.values.subject} required maxLength={150} />
        <Field name="body" label={t("session.message.body")} errors={result?.errors} defaultValue={result?.values.body} required multiline rows={8} maxLength={5000} />
        <button type="submit" className="button" disabled={busy}>
          {t("session.message.submit")}
        </button>
      </Form>
    </section>
  );
}
