import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { requireMember } from "~/lib/auth.server";
import { cleanText, readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { flag, FlagRefusedError } from "~/models/flags.server";

// A member with a voice reports that an initiative breaks a house rule.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  const rule = cleanText(String(form.get("rule") ?? "")).slice(0, 120);
  const reason = cleanText(String(form.get("reason") ?? "")).slice(0, 1000);
  if (!rule || !reason) return data({ message: "flag.required" as MessageKey }, { status: 400 });
  try {
    flag({ type: "initiative", id: String(id) }, member.id, rule, reason);
  } catch (error) {
    if (error instanceof FlagRefusedError) return data({ message: error.messageKey as MessageKey }, { status: error.status });
    throw error;
  }
  return redirect(`/initiatives/${id}`, 303);
}

export function loader({ params }: { params: { id?: string } }) {
  return redirect(`/initiatives/${idParam(params.id)}`);
}

export default function FlagRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/initiatives/${id}`} backLabel={t("initiative.backToPage")} />;
}
