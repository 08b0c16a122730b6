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
import { commentInput, ContributionRefusedError, postComment } from "~/models/contributions.server";
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
  const member = await requireMember(request);
  const id = idParam(params.id);
  const formData = await readFormData(request);
  const form = parseForm(commentInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  let commentId: number;
  try {
    commentId = postComment(id, member.id, form.data, new Date(), { once: true });
  } catch (error) {
    if (error instanceof ContributionRefusedError) {
      return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData), params: error.params }, { status: error.status });
    }
    throw error;
  }
  return redirect(`/initiatives/${id}#comment-${commentId}`, 303);
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
