// A member's profile page (/members/:id) as this viewer may see it: visibility, voice, flags.
import { mayName, type NameViewer } from "./names.server";
import type { PageViewer } from "./session-page.server";
import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { flagsOn } from "./flags.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { getProfile, isNowStale, peopleOnTags } from "./profiles.server";
import { outcomesByMember } from "./contributions.server";
import { currentRuleHeadings } from "./proposals.server";
import { founderVoiceFrom, voiceOfMember, voiceSnapshot } from "./voice.server";
import { latestStruckCheckIn } from "./unseen-check-ins.server";
import { organisationPart, organisationPartLayout } from "./network.server";
import { currentOrganisation, slugsByName } from "./organisations.server";
import { contactIsOff } from "./contact.server";

/**
 * The picture of the member's organisation with its partners (/members/:id/works-with.svg), for
 * whoever may see the member's page in full; null for anyone else.
 */
export function memberWorksWithPicture(id: string, viewer: PageViewer, names: NameViewer) {
  const full = getProfile(id);
  if (!full || full.deleted || !mayName(full.profileVisibility, names)) return null;
  return organisationPartLayout(full.organisation, !!viewer);
}

export function memberPage(id: string, viewer: PageViewer, names: NameViewer) {
  const full = getProfile(id);
  if (!full) return null;
  // A profile visible to members only shows visitors nothing but a way to log in (so does one that
  // shows visitors only its organisation: that is shown where the member appears, not here).
  if (!mayName(full.profileVisibility, names)) {
    return { restricted: true as const, profile: { id: full.id, name: "", visibility: "members" as const } };
  }
  if (full.deleted) {
    return { restricted: false as const, former: true as const, profile: { id: full.id, name: "", visibility: "public" as const } };
  }
  const profile = { id: full.id, displayName: full.displayName, organisation: full.organisation, createdAt: new Date(full.createdAt) };
  const snapshot = voiceSnapshot();
  const viewerHasVoice = !!viewer && snapshot.hasVoice(viewer.id);
  const held = db().get<{ posting_held_at: number | null; posting_held_rule: string | null }>(sql`SELECT posting_held_at, posting_held_rule FROM members WHERE id = ${profile.id}`);
  const hosting = db().all<{ id: number; title: string }>(sql`SELECT i.id, i.title FROM hosts h JOIN initiatives i ON i.id = h.initiative_id WHERE h.member_id = ${profile.id} AND i.hidden_at IS NULL ORDER BY h.since DESC`);
  return {
    restricted: false as const,
    former: false as const,
    profile: {
      id: profile.id,
      name: profile.displayName,
      avatar: full.avatar,
      organisation: profile.organisation,
      organisationSlug: currentOrganisation(full.organisationId)?.slug ?? null,
      since: profile.createdAt.getTime(),
      visibility: full.profileVisibility,
      work: full.work,
      expertise: full.expertise,
      bioHtml: full.bio ? renderMarkdown(full.bio) : "",
      nowText: full.nowText,
      nowAt: full.nowAt,
      nowStale: isNowStale(full.nowAt),
    },
    outcomes: outcomesByMember(full.id, { ...names, hasVoice: viewerHasVoice }),
    colleagues: peopleOnTags(full.expertise, { exclude: [full.id], includeMembersOnly: !!viewer }).map((p) => ({ id: p.id, displayName: p.displayName, organisation: p.organisation, shared: p.shared })),
    // Why the member has a voice is public; what is pending or missing only the member sees.
    voice: ((v) => ({ ...v, pending: viewer?.id === profile.id ? v.pending : null, lastMiss: viewer?.id === profile.id ? v.lastMiss : null }))(voiceOfMember(profile.id)),
    // A founder's voice waits until the account is a day old: the profile says from when.
    founderVoiceFrom: founderVoiceFrom(profile.id),
    // A check-in the witnesses did not see (ADR 051): in the public log, and explained to the member.
    struckCheckIn: viewer?.id === profile.id ? latestStruckCheckIn(profile.id) : null,
    bootstrapping: snapshot.bootstrapping,
    hosting,
    worksWith: ((part) => (part ? { ...part, slugs: slugsByName([part.organisation, ...part.partners.map((p) => p.name)]) } : null))(organisationPart(profile.id, profile.organisation, !!viewer)),
    held: held.posting_held_at ? { rule: held.posting_held_rule ?? "" } : null,
    isSelf: viewer?.id === profile.id,
    // "Send a message" for everyone but the member themself (a visitor is asked to log in first).
    contact: viewer?.id === profile.id ? ("none" as const) : contactIsOff(profile.id) ? ("off" as const) : ("open" as const),
    viewerHasVoice,
    // Who flagged what is visible to members with a voice, not to the public.
    flags: viewerHasVoice ? flagsOn({ type: "member", id: profile.id }) : null,
    // Only witnesses flag (governance.md §4): the form with the house rules is for them.
    rules: !!viewer && snapshot.isWitness(viewer.id) ? currentRuleHeadings() : [],
  };
}
