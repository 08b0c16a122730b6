import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { ConfirmStepBack } from "~/components/confirm-step-back";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { withNotice } from "~/lib/notice";
import { idParam } from "~/lib/params.server";
import { HostRefusedError } from "~/models/hosts.server";
import { stepBackConfirmation, stepBackWithUndo } from "~/models/safe-actions.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "safe.stepBack.title");

// GET: the confirm page (also what an unconfirmed post shows). Not a host: back to the initiative.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const confirm = stepBackConfirmation(id, member.id);
  if (!confirm) {
    const away = toPageUnlessPosted(context, `/initiatives/${id}`);
    if (away) throw away;
  }
  return { confirm };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const id = idParam(params.id);
  const form = await readFormData(request);
  // A post that skipped the confirm page shows that page, or says why there is nothing to confirm.
  if (form.get("confirmed") !== "yes") return stepBackConfirmation(id, member.id) ? data({ message: null }, { status: 200 }) : data({ message: "host.notHost" as const }, { status: 403 });
  try {
    const { at } = stepBackWithUndo(id, member.id);
    return redirect(withNotice(`/initiatives/${id}`, "steppedBack", { path: `/initiatives/${id}/undo-step-back`, at }), 303);
  } catch (error) {
    if (error instanceof HostRefusedError) return data({ message: error.messageKey }, { status: error.status });
    throw error;
  }
}

export default function StepBackPage() {
  const t = useT();
  const { confirm } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  if (result?.message || !confirm) return <Refusal message={result?.message ?? "host.notHost"} back={`/initiatives/${id}`} backLabel={t("initiative.backToPage")} />;
  return <ConfirmStepBack confirm={confirm} />;
}
