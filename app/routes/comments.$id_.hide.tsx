import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { parseForm, readFormData } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { commentPage, hideCommentAsHost, hideCommentInput, HostModerationRefusedError } from "~/models/host-moderation.server";

function pageOf(id: number) {
  const page = commentPage(id);
  if (!page) throw data(null, { status: 404 });
  return page;
}

// A host of the initiative hides a comment on it, naming the house rule (governance.md §4).
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const back = pageOf(id);
  const form = parseForm(hideCommentInput, await readFormData(request));
  if (!form.ok) return data({ message: "hosts.hide.unknownRule" as MessageKey, back }, { status: 400 });
  try {
    hideCommentAsHost(id, member.id, form.data.rule);
  } catch (error) {
    if (error instanceof HostModerationRefusedError) return data({ message: error.messageKey, back }, { status: error.status });
    throw error;
  }
  return redirect(back, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, pageOf(idParam(params.id)));
}

export default function HideRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  return <Refusal message={result?.message ?? "error.badRequest"} back={result?.back ?? "/"} backLabel={t("initiative.backToPage")} />;
}
