import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { ConfirmWithdraw } from "~/components/confirm-withdraw";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember, safeRedirect } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { idParam } from "~/lib/params.server";
import { refusalOf } from "~/lib/registration-errors.server";
import { withdrawConfirmation, withdrawWithUndo } from "~/models/safe-actions.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => titleMeta(matches, data?.confirm?.waitlisted ? "safe.leaveWaitlist.title" : "safe.withdraw.title");

// GET: the confirm page (also what a refused or unconfirmed post shows). Nothing to confirm: back to the session.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const sessionId = idParam(params.id);
  const confirm = withdrawConfirmation(sessionId, member.id);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"), `/sessions/${sessionId}`);
  if (!confirm) {
    const away = toPageUnlessPosted(context, `/sessions/${sessionId}`);
    if (away) throw away;
  }
  return { confirm, redirectTo };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const sessionId = idParam(params.id);
  const form = await readFormData(request);
  // A post that skipped the confirm page (an old page, a script) shows that page, or says why
  // there is nothing to confirm.
  if (form.get("confirmed") !== "yes") return withdrawConfirmation(sessionId, member.id) ? data({ message: null }, { status: 200 }) : data({ message: "session.notRegistered" as const }, { status: 409 });
  let done;
  try {
    done = withdrawWithUndo(sessionId, member.id);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return data({ message: refusal.message }, { status: refusal.status });
  }
  const to = safeRedirect(form.get("redirectTo"), `/sessions/${sessionId}`);
  return redirect(withNotice(to, done.waitlisted ? "leftWaitlist" : "withdrawn", { path: `/sessions/${sessionId}/undo`, at: done.at }), 303);
}

export default function WithdrawPage() {
  const t = useT();
  const { confirm, redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  if (result?.message || !confirm) return <Refusal message={result?.message ?? "session.notRegistered"} back={`/sessions/${id}`} backLabel={t("session.details")} />;
  return <ConfirmWithdraw confirm={confirm} redirectTo={redirectTo} />;
}
