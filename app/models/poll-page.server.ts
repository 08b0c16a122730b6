// The date poll pages as this viewer may see them (issue 17): the poll by its link, and the form
// to offer dates. Rights are decided here: hosts who are not held close and choose; everyone who
// may see the initiative answers while the poll is open; hidden initiatives' polls stay hidden.
import { sql } from "drizzle-orm";
import { pollRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { sharedData } from "~/lib/shared-data.server";
import { siteUrl } from "~/lib/mail.server";
import { translate } from "~/lib/i18n";
import { formatTimeRange } from "~/lib/time";
import { canActAsHost, hostRefusal } from "./host-rights.server";
import { getInitiative } from "./initiatives.server";
import { shownName, type NameViewer } from "./names.server";
import { maySeePoll, optionsOf, pollByCode, pollsOfInitiative } from "./polls.server";
import type { PageViewer } from "./session-page.server";
import { venueChoices } from "./sessions.server";
import type { PollAnswer, PollListItem, PollPageView } from "./polls.types";

/** The poll behind a link, or null (unknown code, or not for this viewer). `editCode` is a visitor's own link. */
export function pollPage(code: string, member: PageViewer, names: NameViewer, editCode: string | null): PollPageView | null {
  const poll = pollByCode(code);
  if (!poll) return null;
  const initiative = getInitiative(poll.initiativeId);
  if (!initiative || !maySeePoll(initiative.id, member?.id ?? null)) return null;
  const zone = env().TZ_COMMUNITY;
  const locale = names.locale ?? "nl";
  const options = optionsOf(poll.id);
  const rows = db().all<{ response_id: number; member_id: string | null; name: string; edit_code: string; option_id: number; answer: PollAnswer; display_name: string | null; organisation: string | null; visibility: string | null }>(sql`
    SELECT r.id AS response_id, r.member_id, r.name, r.edit_code, a.option_id, a.answer, m.display_name, m.organisation, m.profile_visibility AS visibility
    FROM poll_responses r JOIN poll_answers a ON a.response_id = r.id LEFT JOIN members m ON m.id = r.member_id
    WHERE r.poll_id = ${poll.id} ORDER BY r.id`);
  const responseCount = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM poll_responses WHERE poll_id = ${poll.id}`).n;
  const mine = (row: (typeof rows)[number]) => (member ? row.member_id === member.id : !!editCode && row.member_id === null && row.edit_code === editCode);
  const visitorEdit = !member && editCode ? rows.find((r) => r.member_id === null && r.edit_code === editCode) : undefined;
  const isHost = !!member && canActAsHost(poll.initiativeId, member.id);
  const open = !poll.closedAt;
  // The option that became the session: the one with its times (the schema keeps the session, not the option).
  const session = poll.sessionId ? db().get<{ starts_at: number; ends_at: number } | undefined>(sql`SELECT starts_at, ends_at FROM sessions WHERE id = ${poll.sessionId}`) : undefined;
  const chosenId = session ? options.find((o) => o.startsAt.getTime() === session.starts_at && o.endsAt.getTime() === session.ends_at)?.id ?? null : null;
  return {
    code: poll.code,
    title: poll.title,
    note: poll.note,
    initiative: { id: initiative.id, title: initiative.title },
    closed: !open,
    sessionId: poll.sessionId,
    timeZone: zone,
    responseCount,
    full: responseCount >= pollRules.responsesMax,
    options: options.map((o) => {
      const answers = rows.filter((r) => r.option_id === o.id);
      const namesOf = (answer: PollAnswer) =>
        answers
          .filter((r) => r.answer === answer)
          // A visitor's typed name is marked as such, so nobody passes for a member by typing their name.
          .map((r) => (r.member_id && r.display_name !== null ? shownName({ id: r.member_id, displayName: r.display_name, organisation: r.organisation ?? "", visibility: r.visibility ?? "members" }, names) : translate(locale, "poll.visitorName", { name: r.name })));
      const own = answers.find(mine);
      return {
        id: o.id,
        when: formatTimeRange(o.startsAt, o.endsAt, locale, zone),
        place: o.place,
        mode: o.mode,
        counts: { yes: answers.filter((r) => r.answer === "yes").length, maybe: answers.filter((r) => r.answer === "maybe").length, no: answers.filter((r) => r.answer === "no").length },
        names: { yes: namesOf("yes"), maybe: namesOf("maybe"), no: namesOf("no") },
        chosen: o.id === chosenId,
        mine: own?.answer ?? null,
      };
    }),
    answerer: member
      ? { kind: "member", name: member.displayName }
      : { kind: "visitor", name: visitorEdit?.name ?? "", editCode: visitorEdit ? editCode : null, editUrl: visitorEdit ? siteUrl(`/polls/${poll.code}?edit=${editCode}`) : null },
    answered: rows.some(mine),
    can: { answer: open, close: open && isHost, makeSession: open && isHost },
  };
}

/** The offer form, for the initiative's hosts who are not held; null when the viewer may not offer. */
export function pollOfferPage(initiativeId: number, memberId: string) {
  const initiative = getInitiative(initiativeId);
  if (!initiative) return { status: 404 as const };
  const refusal = hostRefusal(initiativeId, memberId);
  if (refusal) return { status: refusal.status, message: refusal.messageKey };
  return { status: 200 as const, initiative: { id: initiative.id, title: initiative.title, place: initiative.place }, venues: venueChoices(), maxRows: pollRules.optionsMax, rows: pollRules.formRows, timeZone: env().TZ_COMMUNITY };
}

/** The initiative page's list of polls, for those who may see the initiative. */
export function initiativePolls(initiativeId: number): PollListItem[] {
  // The same for every viewer: read once while nothing changes (ADR 040).
  return sharedData(["initiativePolls", initiativeId], () => pollsOfInitiative(initiativeId));
}
