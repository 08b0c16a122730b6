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
import { commentInput, ContributionRefusedError } from "~/models/contributions.server";
import { editProposalComment, getProposalComment } from "~/models/proposal-comments.server";
import { withNotice } from "~/lib/notice";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "proposal.comment.edit.title");

// Only the author edits (governance.md §4: the one edit of hidden content brings it back).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const found = getProposalComment(idParam(params.id), { memberId: member.id, hasVoice: false });
  if (!found) throw data(null, { status: 404 });
  if (found.memberId !== member.id) throw data(null, { status: 403 });
  return { body: found.body, proposalId: found.proposalId, hidden: found.view.hidden, refusal: found.editRefusal };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(commentInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  try {
    const edited = editProposalComment(id, member.id, form.data.body);
    return redirect(withNotice(`/proposals/${edited.proposalId}#proposal-comment-${id}`, "saved"), 303);
  } catch (error) {
    if (error instanceof ContributionRefusedError) {
      return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData), params: error.params }, { status: error.status });
    }
    throw error;
  }
}

export default function EditProposalComment() {
  const t = useT();
  const { body, proposalId, hidden, refusal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/proposals/${proposalId}`}>← {t("proposal.backTo")}</Link>
      </p>
      <h1>{t("proposal.comment.edit.title")}</h1>
      {hidden ? (
        <p className="form-error">
          {t("contribution.hidden.comment", { rule: hidden.rule })} {t(refusal ?? "flag.hidden.authorEdit")}
        </p>
      ) : null}
      {refusal ? null : <ContributionEditForm kind="comment" errors={result?.errors} errorParams={result?.params} values={result?.values ?? { body }} />}
    </section>
  );
}
