import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CheckinScreenView } from "~/components/checkin";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { checkinScreen } from "~/models/host-tools.server";

// The code is for the room: not kept by caches.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction = ({ matches }) => [...titleMeta(matches, "hosts.checkin.title"), { name: "robots", content: "noindex" }];

// GET /sessions/:id/checkin/show — the check-in code full-screen, for the session's hosts.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const screen = await checkinScreen(idParam(params.id), member.id, originOf(request));
  if (!screen) throw data(null, { status: 404 });
  if (screen === "not-host") throw data(null, { status: 403 });
  return screen;
}

export default function CheckinShow() {
  const screen = useLoaderData<typeof loader>();
  return <CheckinScreenView {...screen} />;
}
