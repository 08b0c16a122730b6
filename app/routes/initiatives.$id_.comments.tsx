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
import { postComment } from "~/models/contributions.server";
import { getInitiative } from "~/models/initiatives.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "comment.new.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireMember(request);
  const initiative = getInitiative(idParam(params.id));
  if (!initiative) throw data(null, { status: 404 });
  return { initiative: { id: initiative.id, title: initiative.title } };
}

// POST /initiatives/:id/comments — field `body`; any logged-in member.
export async function action({ request, params }: ActionFunctionArgs) {
  // The address is read after the login check, as the form itself is.
  return commentAction(request, (memberId, input) => postComment(idParam(params.id), memberId, input, new Date(), { once: true }), (commentId) => `/initiatives/${idParam(params.id)}#comment-${commentId}`);
}

export default function NewComment() {
  const t = useT();
  const { initiative } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="narrow">
      <p>
        <Link to={`/initiatives/${initiative.id}`}>← {t("session.backToInitiative", { title: initiative.title })}</Link>
      </p>
      <h1>{t("comment.new.title")}</h1>
      <CommentForm action={`/initiatives/${initiative.id}/comments`} errors={result?.errors} errorParams={result?.params} values={result?.values} />
    </section>
  );
}
