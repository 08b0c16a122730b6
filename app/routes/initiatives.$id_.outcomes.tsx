import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { OutcomeForm } from "~/components/contributions";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, refusalAt, type FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { ContributionRefusedError, outcomeInput, outcomeRefusal, postOutcome, sessionsOpenForOutcome } from "~/models/contributions.server";
import { getInitiative } from "~/models/initiatives.server";
import { outcomeMethodChoices, outcomeMethodIds } from "~/models/methods.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "outcome.new.title");

// The form on its own page (linked from the session page, and shown again with errors).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const initiative = getInitiative(idParam(params.id));
  if (!initiative) throw data(null, { status: 404 });
  const now = Date.now();
  const sessions = sessionsOpenForOutcome(initiative.id, member.id, now);
  const requested = Number(new URL(request.url).searchParams.get("session"));
  return {
    initiative: { id: initiative.id, title: initiative.title },
    sessions,
    preselected: sessions.some((s) => s.id === requested) ? String(requested) : "",
    methods: outcomeMethodChoices(initiative.id),
    refused: !!outcomeRefusal(initiative.id, member.id, null, now) && !sessions.length,
  };
}

/** Refusals about the session or the methods picked are said at that field; the rest above the form. */
const outcomeRefusalFields = {
  "outcome.session.invalid": "sessionId",
  "outcome.sessionCancelled": "sessionId",
  "outcome.notStarted": "sessionId",
  "method.outcome.notUsed": "methodId",
} as const;

// POST /initiatives/:id/outcomes — fields `body`, optional `sessionId`.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(outcomeInput, formData);
  // What was sent comes back with a refusal, the methods ticked included (at most as many as may be named).
  const sent = () => ({ ...formValues(formData), methodId: outcomeMethodIds(formData.getAll("methodId"))?.join(",") ?? "" });
  if (!form.ok) return data({ errors: form.errors, values: { ...form.values, methodId: sent().methodId }, params: undefined as Params | undefined }, { status: 400 });
  const methodIds = outcomeMethodIds(formData.getAll("methodId"));
  if (!methodIds) return data({ errors: { methodId: "method.outcome.notUsed" } as FieldErrors, values: sent(), params: undefined as Params | undefined }, { status: 400 });
  let outcomeId: number;
  try {
    outcomeId = postOutcome(id, member.id, { ...form.data, methodIds }, new Date(), { once: true });
  } catch (error) {
    if (error instanceof ContributionRefusedError) {
      return data({ errors: refusalAt(error.messageKey, outcomeRefusalFields), values: sent(), params: error.params }, { status: error.status });
    }
    throw error;
  }
  return redirect(form.data.sessionId ? `/sessions/${form.data.sessionId}#outcome-${outcomeId}` : `/initiatives/${id}#outcome-${outcomeId}`, 303);
}

export default function NewOutcome() {
  const t = useT();
  const { initiative, sessions, preselected, refused, methods } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/initiatives/${initiative.id}`}>← {t("session.backToInitiative", { title: initiative.title })}</Link>
      </p>
      <h1>{t("outcome.new.title")}</h1>
      <p className="lead">{t("outcome.new.intro")}</p>
      {refused && !result ? (
        <p className="form-error">{t("outcome.notParticipant")}</p>
      ) : (
        <OutcomeForm
          action={`/initiatives/${initiative.id}/outcomes`}
          sessions={sessions}
          methods={methods}
          errors={result?.errors}
          errorParams={result?.params}
          values={result?.values ?? { sessionId: preselected }}
        />
      )}
    </section>
  );
}
