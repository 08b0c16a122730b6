import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { requireMember } from "~/lib/auth.server";
import { cleanText, readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { getContribution } from "~/models/contributions.server";
import { flag, FlagRefusedError } from "~/models/flags.server";

const kind = "comment";

function pageOf(id: number) {
  const found = getContribution(kind, id, { memberId: null, hasVoice: false });
  if (!found) throw data(null, { status: 404 });
  return found.view.sessionId ? `/sessions/${found.view.sessionId}#${kind}-${id}` : `/initiatives/${found.view.initiativeId}#${kind}-${id}`;
}

// A member with a voice reports that this comment breaks a house rule.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const back = pageOf(id);
  const form = await readFormData(request);
  const rule = cleanText(String(form.get("rule") ?? "")).slice(0, 120);
  const reason = cleanText(String(form.get("reason") ?? "")).slice(0, 1000);
  if (!rule || !reason) return data({ message: "flag.required" as MessageKey, back }, { status: 400 });
  try {
    flag({ type: kind, id: String(id) }, member.id, rule, reason);
  } catch (error) {
    if (error instanceof FlagRefusedError) return data({ message: error.messageKey as MessageKey, back }, { status: error.status });
    throw error;
  }
  return redirect(back, 303);
}

export function loader({ params }: { params: { id?: string } }) {
  return redirect(pageOf(idParam(params.id)));
}

export default function FlagRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  return <Refusal message={result?.message ?? "error.badRequest"} back={result?.back ?? "/"} backLabel={t("initiative.backToPage")} />;
}
