// "Add to calendar" links for people who do not know what an .ics file is: Google Calendar's and
// Outlook.com's own addresses for a new event, filled in from the session's public facts. Plain
// links, no script from elsewhere. The meeting link of an online session never goes in (it is for
// the participants, and a link like this is easily forwarded): the page's address does.

export type CalendarLinkFacts = {
  title: string;
  summary: string;
  startsAt: number;
  endsAt: number;
  /** The place, or the word for "online" for a session that is only online. */
  location: string;
  /** The session page's absolute address. */
  pageUrl: string;
};

// Calendar apps take long addresses, but some browsers and mail apps cut them near 2,000 characters.
const maxSummary = 500;

function details(facts: CalendarLinkFacts) {
  const summary = facts.summary.length > maxSummary ? `${facts.summary.slice(0, maxSummary - 1)}…` : facts.summary;
  return [summary, facts.pageUrl].filter(Boolean).join("\n\n");
}

/** 20261204T180000Z */
function compactUtc(instant: number) {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** 2026-12-04T18:00:00Z */
function isoUtc(instant: number) {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// Spaces as %20, not "+": Outlook shows a "+" as it is. Times and the path keep their "/" and ":"
// as both services document them.
const plainFields = new Set(["dates", "path", "startdt", "enddt"]);
const query = (fields: [string, string][]) =>
  fields.map(([name, value]) => `${name}=${plainFields.has(name) ? encodeURIComponent(value).replace(/%2F/g, "/").replace(/%3A/g, ":") : encodeURIComponent(value)}`).join("&");

export function googleCalendarUrl(facts: CalendarLinkFacts): string {
  return `https://calendar.google.com/calendar/render?${query([
    ["action", "TEMPLATE"],
    ["text", facts.title],
    ["dates", `${compactUtc(facts.startsAt)}/${compactUtc(facts.endsAt)}`],
    ["details", details(facts)],
    ["location", facts.location],
  ])}`;
}

export function outlookCalendarUrl(facts: CalendarLinkFacts): string {
  return `https://outlook.live.com/calendar/0/deeplink/compose?${query([
    ["path", "/calendar/action/compose"],
    ["rru", "addevent"],
    ["subject", facts.title],
    ["startdt", isoUtc(facts.startsAt)],
    ["enddt", isoUtc(facts.endsAt)],
    ["body", details(facts)],
    ["location", facts.location],
  ])}`;
}
