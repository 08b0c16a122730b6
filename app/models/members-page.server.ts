// The directory (/members) as a viewer may see it: the people a search or filter finds, the
// organisations to filter by, and who has a voice.
import { sharedData } from "~/lib/shared-data.server";
import { publicMethodTitle } from "./methods.server";
import { organisations, searchMembers } from "./profiles.server";
import type { PageViewer } from "./session-page.server";
import { voiceSnapshot } from "./voice.server";

export function membersPage(params: URLSearchParams, viewer: PageViewer) {
  const q = (params.get("q") ?? "").slice(0, 200).trim();
  const organisation = (params.get("organisation") ?? "").slice(0, 120);
  const tag = (params.get("tag") ?? "").trim().toLocaleLowerCase("nl").slice(0, 40);
  // Members-only profiles are listed for members, never for visitors.
  const includeMembersOnly = !!viewer;
  const snapshot = voiceSnapshot();
  const methodParam = params.get("method") ?? "";
  const method = /^[1-9]\d{0,15}$/.test(methodParam) ? { id: Number(methodParam), title: publicMethodTitle(Number(methodParam)) } : null;
  // The same for every member (and for every visitor) while nothing changes: read once for all
  // (ADR 040). Who has a voice follows the clock, so it is added per request.
  const people = sharedData(["members", q, organisation, tag, method?.id, includeMembersOnly], () =>
    searchMembers({ q: q || undefined, organisation: organisation || undefined, tag: tag || undefined, method: method?.id, includeMembersOnly }),
  );
  return {
    filter: { q, organisation, tag, method },
    organisations: sharedData(["memberOrganisations", includeMembersOnly], () => organisations(includeMembersOnly)),
    bootstrapping: snapshot.bootstrapping,
    voiceCount: snapshot.voices.size,
    people: people.map((p) => ({ ...p, voice: snapshot.voices.has(p.id) })),
  };
}
