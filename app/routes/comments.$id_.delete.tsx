import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmCommentDelete } from "~/components/confirm-comment-delete";
import { Refusal } from "~/components/refusal";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { idParam } from "~/lib/params.server";
import { CommentDeleteRefusedError, commentDeleteConfirmation, deleteOwnComment } from "~/models/safe-actions.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "safe.comment.delete.title");

// GET: the confirm page; a refusal (someone else's, hidden) says why with its status.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  try {
    const confirm = commentDeleteConfirmation(idParam(params.id), member.id);
    if (!confirm) throw data(null, { status: 404 });
    return { confirm, refusal: null };
  } catch (error) {
    if (error instanceof CommentDeleteRefusedError) throw data({ message: error.messageKey }, { status: error.status });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  try {
    // A post that skipped the confirm page shows that page, or says why there is nothing to confirm.
    if (form.get("confirmed") !== "yes") {
      if (!commentDeleteConfirmation(id, member.id)) throw data(null, { status: 404 });
      return data({ message: null }, { status: 200 });
    }
    const deleted = deleteOwnComment(id, member.id);
    if (!deleted) throw data(null, { status: 404 });
    return redirect(withNotice(`/initiatives/${deleted.initiativeId}`, "commentDeleted"), 303);
  } catch (error) {
    if (error instanceof CommentDeleteRefusedError) return data({ message: error.messageKey }, { status: error.status });
    throw error;
  }
}

export default function DeleteComment() {
  const t = useT();
  const { confirm } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.message) return <Refusal message={result.message} back={`/initiatives/${confirm.initiativeId}`} backLabel={t("initiative.backToPage")} />;
  return <ConfirmCommentDelete confirm={confirm} />;
}
