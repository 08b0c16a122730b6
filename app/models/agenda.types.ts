// Types the agenda's views share with their components; no server code.
import type { GridDay } from "~/lib/month-grid";
import type { SessionMode } from "./sessions.types";

export type AgendaView = "list" | "week" | "month";

/** A session as the month and week grids show it: time and title, linked. */
export type GridSession = { id: number; title: string; startsAt: number; endsAt: number; mode: SessionMode; kind: string; place: string };

/** One day of a grid; `more` counts the sessions the month grid leaves to the week view. */
export type AgendaDay = GridDay<GridSession> & { more: number };

export type AgendaFilterValues = { q: string; kind: string; mode: string; tag: string };
