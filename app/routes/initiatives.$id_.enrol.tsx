import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useParams } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { useT } from "~/lib/i18n/react";
import { idParam } from "~/lib/params.server";
import { getInitiative } from "~/models/initiatives.server";
import { enrol } from "~/models/registrations.server";

// POST /initiatives/:id/enrol — sign up for every upcoming session of a course at once.
export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const initiative = getInitiative(idParam(params.id));
  if (!initiative) throw data(null, { status: 404 });
  if (initiative.kind !== "course") return data({ message: "enrol.onlyCourses" as const }, { status: 400 });
  const outcomes = enrol(initiative.id, member.id, new Date(), originOf(request));
  if (!outcomes.length) return data({ message: "enrol.none" as const }, { status: 409 });
  return redirect(`/initiatives/${initiative.id}#sessions-heading`, 303);
}

export function loader({ params, context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, `/initiatives/${idParam(params.id)}`);
}

export default function EnrolRefused() {
  const t = useT();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/initiatives/${id}`} backLabel={t("initiative.backToPage")} />;
}
