import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFile, calendarResponse, originOf } from "~/lib/calendar.server";
import { translate } from "~/lib/i18n";
import { derivedVersion } from "~/models/derived.server";
import { calendarSessions } from "~/models/sessions.server";

// The network's upcoming agenda, for calendar subscriptions: the next 500 sessions (years ahead for
// a network of a few hundred people; calendar apps fetch it again every few hours, so later ones
// arrive in time). Calendar apps poll it, and it is the biggest thing the server writes, so it is kept
// written out, compressed, until a session or an initiative's title changes, and for five minutes
// at most (sessions that end drop out of it; the file says max-age=300 too).
const keepMs = 5 * 60_000;
const agendaLimit = 500;
let kept: { key: string; until: number; body: string; gzipped: Uint8Array<ArrayBuffer>; etag: string } | null = null;

export function loader({ request }: LoaderFunctionArgs) {
  const now = Date.now();
  const origin = originOf(request);
  const key = `${origin} ${derivedVersion("agenda")}`;
  if (!kept || kept.key !== key || now >= kept.until) {
    const sessions = calendarSessions({ upcoming: { now: new Date(now), limit: agendaLimit } });
    const body = calendarFile(sessions, { name: "Meedoen", description: translate("nl", "agenda.intro"), feed: true }, origin);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    kept = { key, until: now + keepMs, body, gzipped: new Uint8Array(gzipSync(body)), etag };
  }
  if (request.headers.get("If-None-Match") === kept.etag) {
    return new Response(null, { status: 304, headers: { ETag: kept.etag, "Cache-Control": "public, max-age=300" } });
  }
  // Only the answer that is sent is made: most calendar apps take gzip.
  if (/\bgzip\b/.test(request.headers.get("Accept-Encoding") ?? "")) {
    const response = calendarResponse(kept.gzipped, "meedoen-agenda.ics");
    response.headers.set("Content-Encoding", "gzip");
    response.headers.set("Vary", "Accept-Encoding");
    response.headers.set("ETag", kept.etag);
    return response;
  }
  const response = calendarResponse(kept.body, "meedoen-agenda.ics");
  response.headers.set("ETag", kept.etag);
  return response;
}
