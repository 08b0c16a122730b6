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
import { refusalOf } from "~/lib/registration-errors.server";
import { undoWithdraw, UndoGoneError } from "~/models/safe-actions.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const sessionId = idParam(params.id);
  const form = await readFormData(request);
  const at = Number(form.get("at"));
  try {
    const outcome = undoWithdraw(sessionId, member.id, Number.isSafeInteger(at) ? at : -1);
    return redirect(withNotice(`/sessions/${sessionId}`, outcome.status === "registered" ? "registered" : "backOnWaitlist"), 303);
  } catch (error) {
    if (error instanceof UndoGoneError) return data({ message: "safe.undo.gone" as const }, { status: 409 });
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return data({ message: refusal.message }, { status: refusal.status });
  }
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/sessions/${idParam(params.id)}`);
}

export default function UndoRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/sessions/${id}`} backLabel={t("session.details")} />;
}
