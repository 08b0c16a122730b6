import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData, textField } from "~/lib/forms";
import type { MessageKey, Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { attachMethod, detachMethod, MethodRefusedError } from "~/models/methods.server";

// POST /sessions/:id/methods — a host adds a method by name (`intent=add`, `name`) or removes one (`intent=remove`, `methodId`).
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  const intent = textField(form, "intent");
  try {
    if (intent === "add") attachMethod(id, member.id, textField(form, "name").slice(0, 200));
    else if (intent === "remove") {
      const methodId = textField(form, "methodId");
      if (!/^[1-9]\d{0,15}$/.test(methodId)) return data({ message: "error.badRequest" as MessageKey, params: undefined as Params | undefined }, { status: 400 });
      detachMethod(id, member.id, Number(methodId));
    } else return data({ message: "error.badRequest" as MessageKey, params: undefined as Params | undefined }, { status: 400 });
  } catch (error) {
    if (error instanceof MethodRefusedError) return data({ message: error.messageKey, params: error.params }, { status: error.status });
    throw error;
  }
  return redirect(`/sessions/${id}#methods-heading`, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/sessions/${idParam(params.id)}`);
}

export default function MethodRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} params={result?.params} back={`/sessions/${id}`} backLabel={t("method.session.backToSession")} />;
}
