import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { LearningHoursField } from "~/components/learning-hours-field";
import { CancelSessionForm } from "~/components/cancel-session-form";
import { FormError } from "~/components/field";
import { SessionForm } from "~/components/session-form";
import { originOf } from "~/lib/calendar.server";
import { requireHostedSession } from "~/lib/host-access.server";
import { echoLimit, formValues, parseForm, readFormData, textField, type FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { cancelSessionSchema } from "~/lib/form-schemas.server";
import { errorMeta, titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { keepSessionDraft } from "~/models/session-drafts.server";
import { CapacityBelowRegisteredError, cancelSession, sessionEditForm, StartedSessionError, sessionInput, SkippedTimeError, updateSession, withVenueList } from "~/models/sessions.server";
import { ErrorPage } from "~/components/error-page";
import { sessionRules } from "~/governance/config";

// Its own boundary: a refusal thrown by the action keeps the root's data (components/error-page).
export const ErrorBoundary = ErrorPage;

export const meta: MetaFunction = ({ matches, error }) => (error ? errorMeta(matches, error) : titleMeta(matches, "session.edit.title"));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { member, session } = await requireHostedSession(request, params.id);
  return sessionEditForm(session, member.id, new URL(request.url).searchParams);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { member, session } = await requireHostedSession(request, params.id);
  const formData = await readFormData(request);
  // "Nieuwe plek toevoegen": nothing is saved but what was typed, for when the host comes back.
  if (formData.get("intent") === "add-venue") return redirect(keepSessionDraft(member.id, { sessionId: session.id }, formData), 303);
  if (formData.get("intent") === "cancel-session") {
    // Only this one, or this and every later session of its series; always with a reason for the participants.
    // Already off (a second click, an old tab): nothing to ask a reason for.
    if (session.cancelledAt) return redirect(`/sessions/${session.id}`, 303);
    const cancel = parseForm(cancelSessionSchema, formData);
    // A reason refused is said at its field; a meeting that began meanwhile refuses the whole form.
    if (!cancel.ok) return data({ cancelErrors: cancel.errors, reason: textField(formData, "reason").slice(0, echoLimit), scope: (formData.get("scope") === "later" ? "later" : "this") as "later" | "this", errors: undefined, values: {}, params: undefined }, { status: 400 });
    try {
      cancelSession(session.id, member.id, new Date(), cancel.data.scope, cancel.data.reason);
    } catch (error) {
      if (!(error instanceof StartedSessionError)) throw error;
      return data({ cancelErrors: { form: "session.started.fixed" } as FieldErrors, reason: cancel.data.reason, scope: cancel.data.scope, errors: undefined, values: {}, params: undefined }, { status: 409 });
    }
    return redirect(withNotice(`/sessions/${session.id}`, "sessionCancelled"), 303);
  }
  const now = new Date();
  const form = parseForm(sessionInput({ now, creating: false }), withVenueList(formData));
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined }, { status: 400 });
  try {
    updateSession(session.id, member.id, form.data, now, originOf(request));
  } catch (error) {
    if (error instanceof CapacityBelowRegisteredError) {
      return data(
        { errors: { capacity: "session.capacity.belowRegistered" as const }, values: formValues(withVenueList(formData)), params: { n: error.registered } },
        { status: 409 },
      );
    }
    // Said at the field whose change was refused (the end, the start, the venue or the place).
    if (error instanceof StartedSessionError && error.change === "end-later") {
      return data({ errors: { endsAt: "session.started.endLater" as const }, values: formValues(withVenueList(formData)), params: { hours: sessionRules.checkinClosesHoursAfter } }, { status: 409 });
    }
    if (error instanceof StartedSessionError) {
      return data({ errors: { [error.field ?? "form"]: "session.started.fixed" as const } as FieldErrors, values: formValues(withVenueList(formData)), params: undefined }, { status: 409 });
    }
    if (error instanceof SkippedTimeError) {
      return data({ errors: { startsAt: "session.time.skipped" as const }, values: formValues(withVenueList(formData)), params: undefined }, { status: 400 });
    }
    throw error;
  }
  return redirect(withNotice(`/sessions/${session.id}`, "saved"), 303);
}

export default function EditSession() {
  const t = useT();
  const { id, title, cancelled, started, values, venues, laterInSeries, learning, restored, venuePicked, draft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const cancelErrors: FieldErrors | undefined = result && "cancelErrors" in result ? result.cancelErrors : undefined;
  const formValues = result && "values" in result && Object.keys(result.values).length ? result.values : values;
  return (
    <section className="narrow">
      <p>
        <Link to={`/sessions/${id}`}>← {t("session.details")}</Link>
      </p>
      <h1>{t("session.edit.title")}</h1>
      <p className="lead">{title}</p>
      {laterInSeries ? <p className="hint">{t("session.series.part")}</p> : null}
      {/* A cancel refused as the meeting began meanwhile: said here as the page's refusal, in place of the hint (the cancel form is gone). */}
      {cancelErrors?.form ? <FormError errors={cancelErrors} /> : started ? <p className="hint">{t("session.started.fixed")}</p> : null}
      <SessionForm values={formValues} errors={result?.errors} params={result && "params" in result ? result.params : undefined} submitLabel={t("session.edit.submit")} venues={venues} scopeChoice={laterInSeries > 0} restored={restored} venuePicked={venuePicked} draft={draft}>
        <LearningHoursField {...learning} typed={result && "values" in result ? (result.values as Record<string, string>).learningHours : values.learningHours} errors={result?.errors} />
      </SessionForm>
      {!cancelled && !started ? <CancelSessionForm laterInSeries={laterInSeries > 0} errors={cancelErrors} reason={result && "reason" in result ? result.reason : undefined} scope={result && "scope" in result ? result.scope : undefined} /> : null}
    </section>
  );
}
