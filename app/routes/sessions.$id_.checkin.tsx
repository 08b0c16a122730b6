import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useParams } from "@remix-run/react";
import { CheckinPrefilled } from "~/components/checkin";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { requireMember } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { refusalOf } from "~/lib/registration-errors.server";
import { checkinPrefill } from "~/models/host-tools.server";
import { checkIn, WrongCodeError } from "~/models/registrations.server";

// The code is for the room: not kept by caches.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction = ({ matches }) => [...titleMeta(matches, "session.checkin"), { name: "robots", content: "noindex" }];

export async function action({ request, params }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const sessionId = idParam(params.id);
  const code = String((await readFormData(request)).get("code") ?? "").slice(0, 20);
  try {
    checkIn(sessionId, member.id, code);
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    // A mistyped code is retyped at once: the form comes back with the error and what was typed
    // (not for someone already checked in, who has no form to retype in).
    const form = error instanceof WrongCodeError ? checkinPrefill(sessionId, member.id, null) : null;
    const retry = form?.open && !form.attended ? { ...form, code: code.slice(0, 12) } : null;
    return data({ message: refusal.message, retry }, { status: refusal.status });
  }
  return redirect(`/sessions/${sessionId}`, 303);
}

// GET /sessions/:id/checkin?code=… (the QR code on the host's check-in screen): the form with the
// code filled in, for a logged-in member (a visitor logs in and comes back). Without a code the
// address leads to the session page.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const code = new URL(request.url).searchParams.get("code");
  if (code === null) return toPageUnlessPosted(context, `/sessions/${id}`);
  const member = await requireMember(request);
  const page = checkinPrefill(id, member.id, code);
  if (!page) throw data(null, { status: 404 });
  return page;
}

export default function Checkin() {
  const t = useT();
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { id } = useParams();
  if (result?.retry) return <CheckinPrefilled {...result.retry} error={result.message} />;
  if (page && !result) return <CheckinPrefilled {...page} />;
  return <Refusal message={result?.message ?? "error.badRequest"} back={`/sessions/${id}`} backLabel={t("session.details")} />;
}
