import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember, safeRedirect } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { refusalOf } from "~/lib/registration-errors.server";
import { withdraw } from "~/models/registrations.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const sessionId = idParam(params.id);
  const form = await readFormData(request);
  try {
    withdraw(sessionId, member.id);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return data({ message: refusal.message }, { status: refusal.status });
  }
  return redirect(safeRedirect(form.get("redirectTo"), `/sessions/${sessionId}`), 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/sessions/${idParam(params.id)}`);
}

export default function WithdrawRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/sessions/${id}`} backLabel={t("session.details")} />;
}
