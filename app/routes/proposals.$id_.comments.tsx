import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CommentForm } from "~/components/contributions";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { commentInput, ContributionRefusedError } from "~/models/contributions.server";
import { postProposalComment, proposalCommentRefusal } from "~/models/proposal-comments.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "proposal.comment.new.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  if (proposalCommentRefusal(id, member.id)?.status === 404) throw data(null, { status: 404 });
  return { proposalId: id };
}

// POST /proposals/:id/comments — field `body`; any member whose posting is not held.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(commentInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  let commentId: number;
  try {
    commentId = postProposalComment(id, member.id, form.data, new Date(), { once: true });
  } catch (error) {
    if (error instanceof ContributionRefusedError) {
      return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData), params: error.params }, { status: error.status });
    }
    throw error;
  }
  return redirect(`/proposals/${id}#proposal-comment-${commentId}`, 303);
}

export default function NewProposalComment() {
  const t = useT();
  const { proposalId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/proposals/${proposalId}`}>← {t("proposal.backTo")}</Link>
      </p>
      <h1>{t("proposal.comment.new.title")}</h1>
      <CommentForm action={`/proposals/${proposalId}/comments`} errors={result?.errors} errorParams={result?.params} values={result?.values} />
    </section>
  );
}
