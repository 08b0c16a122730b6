// The home page (/) as this viewer sees it: the feed with its filters, what comes up next, and for
// a first visit what this network is; and the start page after creating an account (/welcome).
import { sql } from "drizzle-orm";
import { safeRedirect } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { sharedData } from "~/lib/shared-data.server";
import { latestOutcomes } from "./contributions.server";
import { founderInvitePanel } from "./founders.server";
import { listInitiatives, type InitiativeKind } from "./initiatives.server";
import type { NameViewer } from "./names.server";
import { upcomingSessions } from "./sessions.server";

const feedKinds: InitiativeKind[] = ["course", "activity", "request"];

/** Reads the feed's filters from the address: a search, a kind, a tag, the page. */
export function feedFilterOf(params: URLSearchParams) {
  const q = (params.get("q") ?? "").slice(0, 200).trim();
  const kindParam = params.get("kind");
  const kind = feedKinds.find((k) => k === kindParam);
  const tag = (params.get("tag") ?? "").trim().toLocaleLowerCase("nl").slice(0, 40) || undefined;
  const afterParam = Number(params.get("after"));
  const after = Number.isSafeInteger(afterParam) && afterParam > 0 ? afterParam : undefined;
  return { q, kind, tag, after };
}

export function homePage(params: URLSearchParams, viewer: NameViewer) {
  const { q, kind, tag, after } = feedFilterOf(params);
  // The same for every member (and for every visitor): names follow only whether the viewer is a
  // member (names.server.ts), stand-in names the viewer's language.
  return sharedData(["home", q, kind, tag, after, viewer.memberId === null ? "visitor" : "member", viewer.locale], () => readHomePage({ q, kind, tag, after }, viewer));
}

function readHomePage({ q, kind, tag, after }: ReturnType<typeof feedFilterOf>, viewer: NameViewer) {
  const page = listInitiatives({ q: q || undefined, kind, tag, after }, viewer);
  // The page's data goes to the browser with it (Remix hydrates from it): only what it shows.
  const items = page.items.map((i) => ({
    id: i.id,
    title: i.title,
    summary: i.summary,
    kind: i.kind,
    tagList: i.tagList,
    place: i.place,
    cover: i.cover,
    hosts: i.hosts.map((h) => ({ displayName: h.displayName, organisation: h.organisation })),
  }));
  // The first page also shows what is coming up soon, with the same filters.
  const upcoming = after
    ? []
    : upcomingSessions({ q: q || undefined, kind, tag, limit: 4 }).items.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, place: s.place }));
  const unfiltered = !after && !q && !kind && !tag;
  // The newest outcomes, on the unfiltered first page only.
  const newOutcomes = unfiltered ? latestOutcomes(3, viewer) : [];
  // A network without a single visible initiative gets a welcome that says what to do first.
  const networkEmpty = unfiltered && page.items.length === 0 && !db().get(sql`SELECT 1 FROM initiatives WHERE hidden_at IS NULL LIMIT 1`);
  return {
    items,
    nextCursor: page.nextCursor,
    upcoming,
    newOutcomes,
    filter: { q, kind: kind ?? "", tag: tag ?? "" },
    isFirstPage: !after,
    // What the network is and how to join: for visitors, on the unfiltered first page.
    showAbout: viewer.memberId === null && unfiltered,
    networkEmpty,
    loggedIn: viewer.memberId !== null,
  };
}

/** Where a new account goes first: the start page, which then leads back to `redirectTo`. */
export function welcomePath(redirectTo: FormDataEntryValue | null | undefined) {
  const next = safeRedirect(redirectTo);
  return next === "/" ? "/welcome" : `/welcome?redirectTo=${encodeURIComponent(next)}`;
}

/**
 * The start page after creating an account: who they are and where "Continue" leads. A founder
 * (the network's first account) learns their own first step: inviting co-founders, and from when.
 */
export function welcomePage(member: { id: string; displayName: string }, redirectTo: string | null, now = new Date()) {
  const next = safeRedirect(redirectTo);
  const panel = founderInvitePanel(member.id, now);
  const founder = panel && (panel.canInvite || panel.voiceFrom) ? { voiceFrom: panel.voiceFrom } : null;
  return { name: member.displayName, memberId: member.id, next: next.startsWith("/welcome") ? "/" : next, founder };
}
