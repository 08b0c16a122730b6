import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { askNetworkToRestore, commentPage, HostModerationRefusedError } from "~/models/host-moderation.server";

function pageOf(id: number) {
  const page = commentPage(id);
  if (!page) throw data(null, { status: 404 });
  return page;
}

// The author of a comment a host hid asks the network to restore it: a proposal opens.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const back = pageOf(id);
  try {
    const proposalId = askNetworkToRestore(id, member.id);
    return redirect(`/proposals/${proposalId}`, 303);
  } catch (error) {
    if (error instanceof HostModerationRefusedError) return data({ message: error.messageKey, params: error.params, back }, { status: error.status });
    throw error;
  }
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, pageOf(idParam(params.id)));
}

export default function RestoreRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  return <Refusal message={result?.message ?? "error.badRequest"} params={result?.params} back={result?.back ?? "/"} backLabel={t("initiative.backToPage")} />;
}
