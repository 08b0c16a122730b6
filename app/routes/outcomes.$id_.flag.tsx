import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { afterFlag } from "~/lib/flag-received";
import { useActionData } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { getContribution } from "~/models/contributions.server";
import { flag, flagInput, FlagRefusedError } from "~/models/flags.server";

const kind = "outcome";

function pageOf(id: number) {
  const found = getContribution(kind, id, { memberId: null, hasVoice: false });
  if (!found) throw data(null, { status: 404 });
  return found.view.sessionId ? `/sessions/${found.view.sessionId}#${kind}-${id}` : `/initiatives/${found.view.initiativeId}#${kind}-${id}`;
}

// A member with a voice reports that this outcome breaks a house rule.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const back = pageOf(id);
  const form = await readFormData(request);
  const input = flagInput(form);
  if (input.message) return data({ message: input.message as MessageKey, back }, { status: 400 });
  const { rule, reason } = input;
  try {
    flag({ type: kind, id: String(id) }, member.id, rule, reason);
  } catch (error) {
    if (error instanceof FlagRefusedError) return data({ message: error.messageKey as MessageKey, back }, { status: error.status });
    throw error;
  }
  return redirect(afterFlag(back), 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, pageOf(idParam(params.id)));
}

export default function FlagRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  return <Refusal message={result?.message ?? "error.badRequest"} back={result?.back ?? "/"} backLabel={t("initiative.backToPage")} />;
}
