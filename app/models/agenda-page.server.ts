// The agenda page (/agenda) in its three views: the list (upcoming sessions, paged), the week and
// the month. One question for the route; the same filters in every view.
import { hostedSessionIds } from "./host-tools.server";
import { env } from "~/lib/env.server";
import { sharedData } from "~/lib/shared-data.server";
import { addDays, isoWeekOf, isoWeekText, localDate, monthBounds, monthGrid, parseCalendarDate, parseIsoWeek, parseYearMonth, weekBounds, weekGrid, yearMonthText, type YearMonth } from "~/lib/month-grid";
import { agendaFilter, agendaSessions, type AgendaEntry } from "./agenda.server";
import type { AgendaDay, GridSession } from "./agenda.types";
import { upcomingSessions } from "./sessions.server";

// A month cell shows this many sessions; the rest are a link to the week.
const perDayInMonth = 4;
// A month or week with more sessions than this (only a network far bigger than ours) says so.
const gridLimit = 1000;

const gridSession = (s: AgendaEntry): GridSession => ({ id: s.id, title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, mode: s.mode, kind: s.kind, place: s.place });

function monthOf(date: string): YearMonth {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

export function agendaPage(params: URLSearchParams, viewer: { id: string } | null = null, now = new Date()) {
  const filter = agendaFilter(params);
  const view = params.get("view");
  const timeZone = env().TZ_COMMUNITY;
  const today = localDate(now.getTime(), timeZone);
  // Which day the week or month should show: ?week= or ?month=, else ?date=, else today.
  const date = parseCalendarDate(params.get("date"));

  if (view === "month") {
    const month = parseYearMonth(params.get("month")) ?? monthOf(date ?? today);
    const bounds = monthBounds(month, timeZone);
    const sessions = agendaSessions(filter, { from: bounds.from, until: bounds.until }, gridLimit + 1);
    const grid = monthGrid(month, sessions.slice(0, gridLimit).map(gridSession), { timeZone, today });
    const weeks: AgendaDay[][] = grid.weeks.map((week) => week.map((day) => ({ ...day, items: day.items.slice(0, perDayInMonth), more: Math.max(0, day.items.length - perDayInMonth) })));
    const showsToday = today.startsWith(yearMonthText(month));
    return {
      view: "month" as const,
      filter,
      month: yearMonthText(month),
      weeks,
      truncated: sessions.length > gridLimit,
      previous: grid.previous && yearMonthText(grid.previous),
      next: grid.next && yearMonthText(grid.next),
      // The other views of the same time: the week of today when this month holds it, else its first week.
      switchTo: { week: isoWeekText(isoWeekOf(showsToday ? today : bounds.first)), month: yearMonthText(month) },
      isCurrent: showsToday,
    };
  }

  if (view === "week") {
    const week = parseIsoWeek(params.get("week")) ?? isoWeekOf(date ?? today);
    const bounds = weekBounds(week, timeZone);
    const sessions = agendaSessions(filter, { from: bounds.from, until: bounds.until }, gridLimit + 1);
    const grid = weekGrid(week, sessions.slice(0, gridLimit).map(gridSession), { timeZone, today });
    const days: AgendaDay[] = grid.days.map((day) => ({ ...day, more: 0 }));
    return {
      view: "week" as const,
      filter,
      week: isoWeekText(week),
      days,
      truncated: sessions.length > gridLimit,
      previous: grid.previous && isoWeekText(grid.previous),
      next: grid.next && isoWeekText(grid.next),
      // The month of the week's Thursday: the month most of its days are in.
      switchTo: { week: isoWeekText(week), month: yearMonthText(monthOf(addDays(bounds.monday, 3))) },
      isCurrent: isoWeekText(isoWeekOf(today)) === isoWeekText(week),
    };
  }

  // Keyset cursor "<startsAt>-<id>": the last session of the previous page.
  const cursor = /^(\d{1,15})-(\d{1,15})$/.exec(params.get("after") ?? "");
  const after = cursor ? { startsAt: Number(cursor[1]), id: Number(cursor[2]) } : undefined;
  // The same list for every member (and for every visitor) while nothing changes: read once for all.
  const page = sharedData(["agenda", filter.q, filter.kind, filter.tag, filter.mode, after?.startsAt, after?.id], () => upcomingSessions({ q: filter.q || undefined, kind: filter.kind || undefined, tag: filter.tag || undefined, mode: filter.mode || undefined, after }));
  return {
    view: "list" as const,
    filter,
    ...page,
    // A host sees their tools on their own sessions (visitors' pages stay the same for everyone).
    hosting: viewer ? hostedSessionIds(viewer.id, page.items.map((s) => s.id)) : [],
    isFirstPage: !after,
    switchTo: { week: isoWeekText(isoWeekOf(today)), month: yearMonthText(monthOf(today)) },
  };
}
