import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/auth.server";
import { env } from "~/lib/env.server";
import { translator } from "~/lib/i18n";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/time";
import { isHost } from "~/models/initiatives.server";
import { participantsOf } from "~/models/registrations.server";
import { getSession } from "~/models/sessions.server";

// Spreadsheet programs run cells that start with = + - @ as formulas: quote them as text.
export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\n\r]/.test(text) || text !== String(value) ? `"${text.replace(/"/g, '""')}"` : text;
}

// GET /sessions/:id/participants.csv — for the initiative's hosts only; never email addresses.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const session = getSession(idParam(params.id));
  if (!session) throw new Response("Not found", { status: 404 });
  if (!isHost(session.initiativeId, member.id)) throw new Response("Forbidden", { status: 403 });
  const t = translator(resolveLocale(request, member.locale));
  const header = [t("auth.displayName"), t("session.hostOrganisation"), "status", t("session.waitlist"), t("session.attendance.present")];
  const rows = participantsOf(session.id).map((p) => [p.displayName, p.organisation, p.status, p.position ?? "", p.attended ? "1" : ""]);
  const csv = "\uFEFF" + [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  const date = formatDateTime(session.startsAt, "en", env().TZ_COMMUNITY).replace(/[^\w]+/g, "-");
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="participants-${session.id}-${date}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
