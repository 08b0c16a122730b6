import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { idParam } from "~/lib/params.server";
import { getInitiative } from "~/models/initiatives.server";
import { setInterest } from "~/models/registrations.server";

// "I'm in" on an idea (and "not after all").
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const initiative = getInitiative(idParam(params.id));
  if (!initiative) throw data(null, { status: 404 });
  const form = await readFormData(request);
  setInterest(initiative.id, member.id, form.get("interested") !== "0");
  return redirect(`/initiatives/${initiative.id}#sessions-heading`, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/initiatives/${idParam(params.id)}`);
}

// Refusals (404) render through the root error page.
export default function Interest() {
  return null;
}
