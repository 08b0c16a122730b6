import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { afterFlag } from "~/lib/flag-received";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { flag, flagInput, FlagRefusedError } from "~/models/flags.server";

// A member with a voice reports that an initiative breaks a house rule.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  const input = flagInput(form);
  if (input.message) return data({ message: input.message as MessageKey }, { status: 400 });
  const { rule, reason } = input;
  try {
    flag({ type: "initiative", id: String(id) }, member.id, rule, reason);
  } catch (error) {
    if (error instanceof FlagRefusedError) return data({ message: error.messageKey as MessageKey }, { status: error.status });
    throw error;
  }
  return redirect(afterFlag(`/initiatives/${id}`), 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/initiatives/${idParam(params.id)}`);
}

export default function FlagRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/initiatives/${id}`} backLabel={t("initiative.backToPage")} />;
}
