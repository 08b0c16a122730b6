// The pages only hosts use (editing an initiative, adding and editing sessions, messaging
// participants): the member, and what they host, or the error page that says why not.
import { data } from "@remix-run/node";
import { requireMember } from "./auth.server";
import { formRefusal } from "./forms";
import { idParam } from "./params.server";
import { hostRefusal } from "~/models/host-rights.server";
import { getInitiative } from "~/models/initiatives.server";
import { getSession } from "~/models/sessions.server";

/** Refuses a member who may not act as a host of the initiative: not one of its hosts, or held (governance.md §2, §4). */
function requireHostOf(initiativeId: number, memberId: string) {
  const refusal = hostRefusal(initiativeId, memberId);
  if (refusal) throw formRefusal(refusal.messageKey, refusal.status);
}

export async function requireHostedInitiative(request: Request, idText: string | undefined) {
  const member = await requireMember(request);
  const initiative = getInitiative(idParam(idText));
  if (!initiative) throw data(null, { status: 404 });
  requireHostOf(initiative.id, member.id);
  return { member, initiative };
}

export async function requireHostedSession(request: Request, idText: string | undefined) {
  const member = await requireMember(request);
  const session = getSession(idParam(idText));
  if (!session) throw data(null, { status: 404 });
  requireHostOf(session.initiativeId, member.id);
  return { member, session };
}
