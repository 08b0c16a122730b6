import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { CommentForm } from "~/components/contributions";
import { requireMember } from "~/lib/auth.server";
import { commentAction } from "~/lib/comment-action.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
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
  // The address is read after the login check, as the form itself is.
  return commentAction(request, (memberId, input) => postProposalComment(idParam(params.id), memberId, input, new Date(), { once: true }), (commentId) => `/proposals/${idParam(params.id)}#proposal-comment-${commentId}`);
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
