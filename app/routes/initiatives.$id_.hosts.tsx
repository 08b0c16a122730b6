import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { answerHostRequest, HostRefusedError, joinAsHost, withdrawHostRequest } from "~/models/hosts.server";

// Ask to join as co-host (or take up an initiative that is looking for a host), withdraw the
// request, answer one as a host, or step back (governance.md §2).
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  const intent = form.get("intent");
  // Digits only, like every id of the app.
  const requestField = form.get("request");
  const requestId = typeof requestField === "string" && /^[1-9]\d{0,15}$/.test(requestField) && Number.isSafeInteger(Number(requestField)) ? Number(requestField) : 0;
  try {
    if (intent === "join") joinAsHost(id, member.id);
    else if (intent === "withdraw") withdrawHostRequest(id, member.id);
    else if ((intent === "accept" || intent === "decline") && requestId > 0) answerHostRequest(requestId, member.id, intent === "accept", id);
    // Stepping back asks first, on its own page (ADR 026): a post from an old page lands there.
    else if (intent === "step-back") return redirect(`/initiatives/${id}/step-back`, 303);
    else return data({ message: "error.badRequest" as const }, { status: 400 });
  } catch (error) {
    if (error instanceof HostRefusedError) return data({ message: error.messageKey }, { status: error.status });
    throw error;
  }
  return redirect(`/initiatives/${id}#hosts-heading`, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/initiatives/${idParam(params.id)}`);
}

export default function HostsRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/initiatives/${id}`} backLabel={t("initiative.backToPage")} />;
}
