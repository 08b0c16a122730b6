// The session page (/sessions/:id) as this viewer may see it: one question for the route, with the
// viewer's rights decided here (hidden content, participants, attendance, check-in).
import type { getMember } from "~/lib/auth.server";
import type { NameViewer } from "./names.server";
import { isHost } from "./initiatives.server";
import { attendanceRights, participantsOf } from "./registrations.server";
import { checkinWindow, getSession, isCheckinOpen, sessionsOfInitiative } from "./sessions.server";
import { sessionVenue } from "./venues.server";
import { sessionContributions, type SessionContributions } from "./contributions.server";
import { currentRuleHeadings } from "./proposals.server";
import { voiceSnapshot } from "./voice.server";
import { sessionMethodsView } from "./methods.server";
import { unseenView } from "./unseen-check-ins.server";

/** Who is asking: the logged-in member, if any. */
export type PageViewer = Awaited<ReturnType<typeof getMember>>;

export function sessionPage(id: number, member: PageViewer, names: NameViewer, now = new Date()) {
  const session = getSession(id);
  if (!session) return null;
  const summary = sessionsOfInitiative(session.initiativeId, member?.id ?? null).find((s) => s.id === session.id)!;
  const host = !!member && isHost(session.initiativeId, member.id);
  const viewerHasVoice = !!member && voiceSnapshot(now.getTime()).hasVoice(member.id);
  // A hidden initiative's title stays readable only for its hosts (the authors) and members with a voice.
  const hidden = session.initiativeHidden ? { rule: session.initiativeHiddenRule, canRead: host || viewerHasVoice } : null;
  const unreadable = !!hidden && !hidden.canRead;
  const participants = participantsOf(session.id);
  const takesPart = !!member && participants.some((p) => p.memberId === member.id);
  const checkinOpen = isCheckinOpen(session, now);
  const markingOpen = !session.cancelledAt && now >= checkinWindow(session).opens;
  const rights = member ? attendanceRights(session, member.id, now) : { mark: false, withdraw: false };
  // Witnesses who were there say whom they did not see; what was said is shown with the list.
  const unseen = host || takesPart ? unseenView(session, member?.id ?? null, now) : null;
  const struckMe = !!member && participants.some((p) => p.memberId === member.id && p.struck);
  // The meeting link: only for those signed up (not waiting) and the hosts; nobody else's page data carries it.
  const mayJoin = host || summary.myStatus === "registered";
  const online = session.mode !== "onsite" ? { url: mayJoin && session.onlineUrl ? session.onlineUrl : null } : null;
  // Outcomes carry the initiative's title and belong to the hidden content.
  const contributions: SessionContributions = unreadable ? { outcomes: [], mayPostOutcome: false } : sessionContributions(session, { ...names, hasVoice: viewerHasVoice }, now.getTime());
  // Only witnesses flag (governance.md §4): the form with the house rules is for them.
  const contributionRules = !!member && voiceSnapshot(now.getTime()).isWitness(member.id) ? currentRuleHeadings() : [];
  return {
    contributions,
    contributionRules,
    // "We used: …" (working methods); none while the initiative is hidden from this viewer.
    methods: unreadable ? { used: [], choices: null } : sessionMethodsView(session, member?.id ?? null, viewerHasVoice),
    // Hidden initiatives get no card for shared links.
    hidden,
    shareDescription: hidden ? "" : session.initiativeSummary,
    session: {
      id: session.id,
      initiativeId: session.initiativeId,
      initiativeTitle: unreadable ? "" : session.initiativeTitle,
      initiativeSummary: unreadable ? "" : session.initiativeSummary,
      startsAt: session.startsAt.getTime(),
      endsAt: session.endsAt.getTime(),
      place: session.place,
      venue: sessionVenue(session.venueId),
      mode: session.mode,
      inSeries: session.seriesId !== null,
      hostOrganisation: session.hostOrganisation,
      capacity: session.capacity,
      cancelled: !!session.cancelledAt,
      // The hosts wrote it for the participants; it belongs to the initiative, so hidden with it.
      cancelReason: session.cancelledAt && !unreadable ? session.cancelReason : "",
    },
    summary,
    online,
    // Google Calendar and Outlook links carry the title away: not for hidden, cancelled or ended sessions.
    offerCalendarLinks: !hidden && !session.cancelledAt && session.endsAt.getTime() > now.getTime(),
    now: now.getTime(),
    loggedIn: !!member,
    isHost: host,
    // Participants see each other's names and organisations; others only the numbers.
    participants:
      host || takesPart
        ? participants.map(({ memberId, displayName, organisation, status, position, attended, selfCheckIn, struck }) => {
            const said = unseen?.said.get(memberId);
            // "Not seen" can be said of anyone present, by a witness who was there, not of oneself.
            const mayTellUnseen = !!unseen?.mayTell && attended && memberId !== member?.id;
            return { memberId, displayName, organisation, status, position, attended, selfCheckIn, struck, unseen: said?.count ?? 0, unseenByMe: !!said?.mine, mayTellUnseen };
          })
        : null,
    mayTellUnseen: !!unseen?.mayTell,
    struckMe,
    // Attendance (governance.md §2): hosts from before the start mark it until a week after; a self check-in is the member's own.
    mayMark: rights.mark,
    mayWithdrawCheckIn: rights.withdraw,
    checkinOpen,
    markingOpen,
    checkinCode: host && checkinOpen ? session.checkinCode : null,
    canCheckIn: !!member && checkinOpen && !summary.attended && !struckMe,
  };
}
