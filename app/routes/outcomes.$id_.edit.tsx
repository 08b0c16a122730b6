import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ContributionEditForm } from "~/components/contributions";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { ContributionRefusedError, editContribution, editInput, getContribution } from "~/models/contributions.server";
import { withNotice } from "~/lib/notice";

const kind = "outcome";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "outcome.edit.title");

// Only the author edits (governance.md §4: the one edit of hidden content brings it back).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const found = getContribution(kind, idParam(params.id), { memberId: member.id, hasVoice: false });
  if (!found) throw data(null, { status: 404 });
  if (found.memberId !== member.id) throw data(null, { status: 403 });
  const { view } = found;
  return { id: view.id, body: found.body, initiativeId: view.initiativeId, initiativeTitle: view.initiativeTitle, hidden: view.hidden, refusal: found.editRefusal };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(editInput(kind), formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  let edited: ReturnType<typeof editContribution>;
  try {
    edited = editContribution(kind, id, member.id, form.data.body);
  } catch (error) {
    if (error instanceof ContributionRefusedError) {
      return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData), params: error.params }, { status: error.status });
    }
    throw error;
  }
  return redirect(withNotice(edited.sessionId ? `/sessions/${edited.sessionId}#${kind}-${id}` : `/initiatives/${edited.initiativeId}#${kind}-${id}`, "saved"), 303);
}

export default function EditOutcome() {
  const t = useT();
  const { body, initiativeId, initiativeTitle, hidden, refusal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/initiatives/${initiativeId}`}>← {t("session.backToInitiative", { title: initiativeTitle })}</Link>
      </p>
      <h1>{t("outcome.edit.title")}</h1>
      {hidden ? (
        <p className="form-error">
          {t("contribution.hidden.outcome", { rule: hidden.rule })} {t(refusal ?? "flag.hidden.authorEdit")}
        </p>
      ) : null}
      {refusal ? null : <ContributionEditForm kind={kind} errors={result?.errors} errorParams={result?.params} values={result?.values ?? { body }} />}
    </section>
  );
}
