// The action of a new-comment form (on an initiative, on a proposal): the field `body`, a
// translated 4xx with the form kept when it is refused, and a 303 to the comment when it is saved.
import { data, redirect } from "@remix-run/node";
import { requireMember } from "~/lib/auth.server";
import { formValues, parseForm, readFormData, type FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { commentInput, ContributionRefusedError } from "~/models/contributions.server";

type CommentInput = ReturnType<typeof commentInput.parse>;

export async function commentAction(request: Request, post: (memberId: string, input: CommentInput) => number, commentPath: (commentId: number) => string) {
  const member = await requireMember(request);
  const formData = await readFormData(request);
  const form = parseForm(commentInput, formData);
  if (!form.ok) return data({ errors: form.errors, values: form.values, params: undefined as Params | undefined }, { status: 400 });
  let commentId: number;
  try {
    commentId = post(member.id, form.data);
  } catch (error) {
    if (error instanceof ContributionRefusedError) {
      return data({ errors: { form: error.messageKey } as FieldErrors, values: formValues(formData), params: error.params }, { status: error.status });
    }
    throw error;
  }
  return redirect(commentPath(commentId), 303);
}
