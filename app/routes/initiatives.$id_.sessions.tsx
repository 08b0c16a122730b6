import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { SessionForm } from "~/components/session-form";
import { requireHostedInitiative } from "~/lib/host-access.server";
import { formValues, parseForm, readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { errorMeta, titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { NotAHostError } from "~/models/errors.server";
import { governance, sessionRules } from "~/governance/config";
import { addSeries, NewcomerSessionLimitError, sessionAddPage, sessionInput, withVenueList } from "~/models/sessions.server";
import { keepSessionDraft } from "~/models/session-drafts.server";
import { ErrorPage } from "~/components/error-page";

// Its own boundary: a refusal thrown by the action keeps the root's data (components/error-page).
export const ErrorBoundary = ErrorPage;

export const meta: MetaFunction = ({ matches, error }) => (error ? errorMeta(matches, error) : titleMeta(matches, "session.add.title"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { member, initiative } = await requireHostedInitiative(request, params.id);
  return sessionAddPage(initiative, member.id, new URL(request.url).searchParams);
}

// POST /initiatives/:id/sessions — the URL contract's way to add a session, or a series of them.
export async function action({ request, params }: ActionFunctionArgs) {
  const { member, initiative } = await requireHostedInitiative(request, params.id);
  const sent = await readFormData(request);
  // "Nieuwe plek toevoegen": nothing is saved but what was typed, for when the host comes back.
  if (sent.get("intent") === "add-venue") return redirect(keepSessionDraft(member.id, { initiativeId: initiative.id }, sent), 303);
  const now = new Date();
  const formData = withVenueList(sent);
  const form = parseForm(sessionInput({ now, creating: true }), formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined }, { status: 400 });
  try {
    addSeries(initiative.id, member.id, form.data, now, { once: true });
  } catch (error) {
    if (error instanceof NotAHostError) throw data(null, { status: 403 });
    if (error instanceof NewcomerSessionLimitError) {
      return data({ errors: { form: "session.newcomerLimit" as const }, values: formValues(formData), params: { max: governance.newcomerSessionsPerDay, n: error.left } }, { status: 429 });
    }
    throw error;
  }
  return redirect(withNotice(`/initiatives/${initiative.id}#sessions-heading`, "saved"), 303);
}

export default function AddSession() {
  const t = useT();
  const { id, title, venues, values, restored, venuePicked, draft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/initiatives/${id}`}>← {t("session.backToInitiative", { title })}</Link>
      </p>
      <h1>{t("session.add.title")}</h1>
      <p className="lead">{t("session.add.intro", { title })}</p>
      <SessionForm values={result?.values ?? values} restored={restored} venuePicked={venuePicked} draft={draft} errors={result?.errors} params={result?.params} submitLabel={t("session.add.submit")} venues={venues} series={{ max: sessionRules.seriesMax }} />
    </section>
  );
}
