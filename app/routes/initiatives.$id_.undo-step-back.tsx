import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { withNotice } from "~/lib/notice";
import { idParam } from "~/lib/params.server";
import { HostRefusedError } from "~/models/hosts.server";
import { undoStepBack, UndoGoneError } from "~/models/safe-actions.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const at = Number((await readFormData(request)).get("at"));
  try {
    undoStepBack(id, member.id, Number.isSafeInteger(at) ? at : -1);
  } catch (error) {
    if (error instanceof UndoGoneError) return data({ message: "safe.undo.gone" as const }, { status: 409 });
    if (error instanceof HostRefusedError) return data({ message: error.messageKey }, { status: 403 });
    throw error;
  }
  return redirect(withNotice(`/initiatives/${id}`, "hostAgain"), 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/initiatives/${idParam(params.id)}`);
}

export default function UndoStepBackRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/initiatives/${id}`} backLabel={t("initiative.backToPage")} />;
}
