// Host tools on a host's own sessions (governance.md §2): the full-screen check-in code with its
// QR code, the check-in page a scanned code opens, and which listed sessions the viewer hosts.
import { sql } from "drizzle-orm";
import QRCode from "qrcode";
import { sessionRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { canActAsHost } from "./host-rights.server";
import { getSession, isCheckinOpen } from "./sessions.server";
import { memberHasVoice } from "./voice.server";

/** The sessions among `sessionIds` whose initiative the member hosts now (not held). */
export function hostedSessionIds(memberId: string, sessionIds: number[]): number[] {
  if (!sessionIds.length) return [];
  return db()
    .all<{ id: number }>(sql`
      SELECT s.id FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id JOIN members m ON m.id = h.member_id
      WHERE h.member_id = ${memberId} AND m.posting_held_at IS NULL AND s.id IN (${sql.join(sessionIds.slice(0, 500).map((id) => sql`${id}`), sql`, `)})`)
    .map((r) => r.id);
}

/** A typed or scanned code as the check-in compares it: letters and digits, upper case. */
export function cleanCode(code: string | null): string {
  return (code ?? "").toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 12);
}

function sessionHeader(session: NonNullable<ReturnType<typeof getSession>>, readable: boolean) {
  return { id: session.id, title: readable ? session.initiativeTitle : "", startsAt: session.startsAt.getTime(), endsAt: session.endsAt.getTime(), cancelled: !!session.cancelledAt };
}

export type CheckinScreen = Awaited<ReturnType<typeof checkinScreen>>;

/**
 * The full-screen check-in view for a host: the code very large and as a QR code that opens the
 * check-in page with the code filled in. The code only while the host may show it (the session
 * page's rule: a host, not held, while check-in is open). `null`: no such session; "not-host": refused.
 */
export async function checkinScreen(sessionId: number, memberId: string, origin: string, now = new Date()) {
  const session = getSession(sessionId);
  if (!session) return null;
  if (!canActAsHost(session.initiativeId, memberId)) return "not-host" as const;
  const open = isCheckinOpen(session, now);
  const code = open ? session.checkinCode : null;
  const url = code ? `${origin}/sessions/${session.id}/checkin?code=${encodeURIComponent(code)}` : null;
  // Rendered here, inline: no request for an image, nothing to cache, works without JavaScript.
  const qrSvg = url ? await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) : null;
  // How many checked in with the code so far: more than there are people in the room means the code got out (ADR 051).
  const checkedIn = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${session.id} AND attended_at IS NOT NULL AND attendance_by = 'code'`).n;
  return { session: sessionHeader(session, true), code, url, qrSvg, checkedIn, opensMinutesBefore: sessionRules.checkinOpensMinutesBefore };
}

/** The page a scanned code opens: the check-in form with the code filled in; the member presses the button. */
export function checkinPrefill(sessionId: number, memberId: string, code: string | null, now = new Date()) {
  const session = getSession(sessionId);
  if (!session) return null;
  const readable = !session.initiativeHidden || canActAsHost(session.initiativeId, memberId) || memberHasVoice(memberId, now.getTime());
  const attended = !!db().get(sql`SELECT 1 FROM registrations WHERE session_id = ${sessionId} AND member_id = ${memberId} AND attended_at IS NOT NULL AND attendance_by = 'code'`);
  return { session: sessionHeader(session, readable), code: cleanCode(code), open: isCheckinOpen(session, now), attended, now: now.getTime() };
}
