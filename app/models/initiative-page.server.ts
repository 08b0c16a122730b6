// The initiative page (/initiatives/:id) as this viewer may see it, with the viewer's rights decided
// here: hidden content, co-hosting, flags, proposals. `show` asks to read hidden content.
import type { NameViewer } from "./names.server";
import type { PageViewer } from "./session-page.server";
import { initiativePart, initiativePartLayout } from "./network.server";
import { env } from "~/lib/env.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { sharedData } from "~/lib/shared-data.server";
import { flagsOn } from "./flags.server";
import { getInitiative, publicHosts } from "./initiatives.server";
import { currentRuleHeadings, listProposals } from "./proposals.server";
import { attendedAny, takesPartIn, interestOf } from "./registrations.server";
import { hasOpenHostRequest, openHostRequests } from "./hosts.server";
import { governance } from "~/governance/config";
import { isHeld, voiceSnapshot } from "./voice.server";
import { peopleOnTags } from "./profiles.server";
import { sessionsOfInitiative, type SessionSummary } from "./sessions.server";
import { initiativeContributions } from "./contributions.server";
import { editWaiting } from "./hidden-edits.server";
import { initiativePolls } from "./poll-page.server";

/**
 * The picture of the organisations taking part (/initiatives/:id/works-with.svg): none for a
 * hidden initiative, as on its page.
 */
export function initiativeWorksWithPicture(id: number, member: PageViewer) {
  const initiative = getInitiative(id);
  if (!initiative || initiative.hiddenAt) return null;
  return initiativePartLayout(initiative.id, !!member);
}

export function initiativePage(id: number, member: PageViewer, names: NameViewer, show: boolean) {
  const initiative = getInitiative(id);
  if (!initiative) return null;
  const sessions = sessionsOfInitiative(initiative.id, member?.id ?? null);
  const now = Date.now();
  const snapshot = voiceSnapshot(now);
  const viewerHasVoice = !!member && snapshot.hasVoice(member.id);
  const viewerIsWitness = !!member && snapshot.isWitness(member.id);
  const viewerIsHost = !!member && initiative.hosts.some((h) => h.id === member.id);
  const participant = !!member && takesPartIn(initiative.id, member.id);
  const viewerHeld = !!member && isHeld(member.id);
  const viewerActsAsHost = viewerIsHost && !viewerHeld;
  const requestPending = !!member && !viewerIsHost && hasOpenHostRequest(initiative.id, member.id);
  // Hidden content stays readable on click-through for its authors (hosts) and members with a voice.
  const hidden = initiative.hiddenAt ? { rule: initiative.hiddenRule ?? "", times: initiative.timesHidden, canRead: viewerIsHost || viewerHasVoice } : null;
  const showBody = !hidden || (hidden.canRead && show) || (hidden && viewerIsHost);
  return {
    hidden,
    // The author's edit waiting for acceptance (governance.md §4): shown to those who may read it.
    editWaiting: hidden?.canRead ? editWaiting("initiative", initiative.id, { memberId: member?.id ?? null, hasVoice: viewerHasVoice }) : null,
    showBody,
    // Co-hosting needs consent (governance.md §2): who may ask, who waits for an answer, and what the hosts answer.
    canJoin: !!member && !viewerIsHost && !viewerHeld && !requestPending && (initiative.hosts.length === 0 ? viewerHasVoice : viewerHasVoice || attendedAny(initiative.id, member.id)),
    requestPending,
    hostRequests: viewerActsAsHost ? openHostRequests(initiative.id).map((r) => ({ id: r.id, memberId: r.member_id, displayName: r.display_name, createdAt: r.created_at })) : [],
    lazyDays: governance.hostRequestLazyConsentDays,
    participant,
    viewerHasVoice,
    flags: viewerHasVoice ? flagsOn({ type: "initiative", id: String(initiative.id) }) : null,
    // Only witnesses flag (governance.md §4): the form with the house rules is for them.
    rules: viewerIsWitness && !viewerIsHost ? currentRuleHeadings() : [],
    proposals: listProposals({ initiativeId: initiative.id, viewerId: member?.id ?? null, locale: names.locale }).map((p) => ({ id: p.id, title: p.title, hidden: !!p.hidden, closed: p.closed_at !== null })),
    // "People working on the same tag": cross-connections across organisations.
    // The same for every member (and for every visitor) while nothing changes: read once for all.
    sameTagPeople: sharedData(["sameTagPeople", initiative.id, !!member], () =>
      peopleOnTags(initiative.tagList, { exclude: initiative.hosts.map((h) => h.id), includeMembersOnly: !!member, limit: 6 }).map((p) => ({
        id: p.id,
        displayName: p.displayName,
        organisation: p.organisation,
        shared: p.shared,
      })),
    ),
    // The organisations taking part, as their part of the map (not for hidden initiatives).
    worksWith: initiative.hiddenAt ? null : initiativePart(initiative.id, !!member),
    // Outcomes and comments carry the initiative's title: none for those who may not read it.
    contributions: initiative.hiddenAt && !(viewerIsHost || viewerHasVoice) ? { outcomes: [], comments: [], loggedIn: !!member, mayPostOutcome: false, outcomeSessions: [] } : initiativeContributions(initiative.id, { ...names, hasVoice: viewerHasVoice }, now),
    contributionRules: viewerIsWitness ? currentRuleHeadings() : [],
    sessions,
    // Date polls: for those who may read the initiative, like its other content.
    polls: initiative.hiddenAt && !(viewerIsHost || viewerHasVoice) ? [] : initiativePolls(initiative.id),
    now,
    loggedIn: !!member,
    interest: interestOf(initiative.id, member?.id ?? null),
    upcomingCount: sessions.filter((s) => !s.cancelled && s.startsAt > now).length,
    // Signed up (or waiting) for every coming session: the course's "sign up for all" is done.
    enrolledEverywhere: sessions.filter((s) => !s.cancelled && s.startsAt > now).every((s) => s.myStatus),
    enrolment: enrolmentOffer(sessions, now),
    initiative: {
      id: initiative.id,
      title: initiative.title,
      summary: initiative.summary,
      kind: initiative.kind,
      status: initiative.status,
      place: initiative.place,
      target: initiative.target,
      tagList: initiative.tagList,
      hosts: publicHosts(initiative.hosts, names),
      createdAt: initiative.createdAt.getTime(),
      updatedAt: initiative.updatedAt.getTime(),
      cover: initiative.cover ? { ...initiative.cover, alt: initiative.coverAlt } : null,
      bodyHtml: !initiative.hiddenAt || viewerIsHost || viewerHasVoice ? renderMarkdown(initiative.body) : "",
      // Hidden from those who may not read it: not even the title leaves the server.
      ...(initiative.hiddenAt && !(viewerIsHost || viewerHasVoice) ? { title: "", summary: "", place: "", tagList: [] as string[], cover: null } : {}),
    },
    isHost: viewerActsAsHost,
    isListedHost: viewerIsHost,
    timeZone: env().TZ_COMMUNITY,
  };
}

/**
 * What "sign up for all sessions" would do for the viewer: how many coming sessions it signs them
 * up for, and for how many of those it can only put them on the waiting list (no place left, or
 * people already waiting: nobody jumps the queue), so the button promises no place it cannot give.
 */
function enrolmentOffer(sessions: SessionSummary[], now: number) {
  const toJoin = sessions.filter((s) => !s.cancelled && s.startsAt > now && !s.myStatus);
  const full = toJoin.filter((s) => s.capacity !== null && (s.registered >= s.capacity || s.waitlisted > 0)).length;
  return { sessions: toJoin.length, full, allFull: toJoin.length > 0 && full === toJoin.length };
}
