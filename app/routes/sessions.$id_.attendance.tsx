import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { refusalOf } from "~/lib/registration-errors.server";
import { markAttendance, withdrawCheckIn } from "~/models/registrations.server";
import { tellUnseen, UnseenRefusedError } from "~/models/unseen-check-ins.server";
import { unseenSchema } from "~/lib/form-schemas.server";
import { parseForm } from "~/lib/forms";

// A host ticks who came: `memberId` and `present` (1 or 0); or `intent=withdraw`: a member undoes
// their own check-in; or `intent=unseen` / `intent=seen` with `memberId`: a witness who was there
// did not see that member (docs/decisions/051), or takes it back.
export async function action({ request, params }: ActionFunctionArgs) {
  const host = await requireMember(request);
  const sessionId = idParam(params.id);
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent === "unseen" || intent === "seen") {
    const parsed = parseForm(unseenSchema, form);
    if (!parsed.ok) return data({ message: "session.unseen.notCheckedIn" as const }, { status: 400 });
    try {
      tellUnseen(sessionId, host.id, parsed.data.memberId, parsed.data.intent === "unseen");
    } catch (error) {
      if (!(error instanceof UnseenRefusedError)) throw error;
      return data({ message: error.messageKey }, { status: error.status });
    }
    return redirect(`/sessions/${sessionId}#participants-heading`, 303);
  }
  const memberId = form.get("memberId");
  const withdrawing = intent === "withdraw";
  if (!withdrawing && (typeof memberId !== "string" || !memberId)) return data({ message: "session.notRegistered" as const }, { status: 400 });
  try {
    // A member takes back their own check-in; hosts tick who came.
    if (withdrawing) withdrawCheckIn(sessionId, host.id);
    else markAttendance(sessionId, host.id, memberId as string, form.get("present") !== "0");
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return data({ message: refusal.message }, { status: refusal.status });
  }
  return redirect(`/sessions/${sessionId}#participants-heading`, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/sessions/${idParam(params.id)}`);
}

export default function AttendanceRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/sessions/${id}`} backLabel={t("session.details")} />;
}
