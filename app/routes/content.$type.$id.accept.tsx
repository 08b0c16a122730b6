import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { acceptEdit, EditAcceptanceRefusedError, hiddenTargetPage, isHideableType } from "~/models/hidden-edits.server";

function target(params: LoaderFunctionArgs["params"]) {
  const type = params.type ?? "";
  const id = idParam(params.id);
  const page = isHideableType(type) ? hiddenTargetPage(type, id) : null;
  if (!page || !isHideableType(type)) throw data(null, { status: 404 });
  return { type, id, page };
}

// POST /content/:type/:id/accept — a member with a voice accepts the author's edit of hidden content (governance.md §4).
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const { type, id, page } = target(params);
  try {
    acceptEdit(type, id, member.id);
  } catch (error) {
    if (error instanceof EditAcceptanceRefusedError) return data({ message: error.messageKey, back: page }, { status: error.status });
    throw error;
  }
  return redirect(page, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, target(params).page);
}

export default function AcceptRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  return <Refusal message={result?.message ?? "error.badRequest"} back={result?.back ?? "/"} backLabel={t("initiative.backToPage")} />;
}
