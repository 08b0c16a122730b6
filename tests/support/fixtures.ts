// Builders for test data through the real models.
import { createInitiative, initiativeInput } from "~/models/initiatives.server";
import { addSession, sessionInput } from "~/models/sessions.server";
import { toLocalDateTimeInput } from "~/lib/time";

export const zone = "Europe/Amsterdam";
export const hour = 3_600_000;
export const day = 24 * hour;

export function initiativeBy(memberId: string, fields: Record<string, string> = {}, now = new Date()) {
  return createInitiative(memberId, initiativeInput.parse({ title: "Cursus samenwerken", summary: "Vier avonden.", kind: "course", ...fields }), now);
}

/** Adds a session starting `startsIn` ms from now (or from `now`), lasting two hours. */
export function sessionOf(initiativeId: number, hostId: string, options: { startsIn?: number; capacity?: number | null; place?: string; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const start = new Date(now.getTime() + (options.startsIn ?? 7 * day));
  const input = sessionInput({ now, creating: true }).parse({
    startsAt: toLocalDateTimeInput(start, zone),
    endsAt: toLocalDateTimeInput(new Date(start.getTime() + 2 * hour), zone),
    place: options.place ?? "Buurthuis De Linde",
    capacity: options.capacity === null || options.capacity === undefined ? "" : String(options.capacity),
  });
  return addSession(initiativeId, hostId, input, now, { newcomerLimit: false });
}
