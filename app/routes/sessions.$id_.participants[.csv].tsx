import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/auth.server";
import { resolveLocale, textRefusal } from "~/lib/i18n/locale.server";
import { idParam } from "~/lib/params.server";
import { participantsCsv } from "~/models/participants-csv.server";

// GET /sessions/:id/participants.csv — for the initiative's hosts only; never email addresses.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const file = participantsCsv(idParam(params.id), member.id, resolveLocale(request, member.locale));
  if (file === "not-found") throw textRefusal(request, "error.notFound", 404, member.locale);
  if (file === "not-host") throw textRefusal(request, "participants.csv.hostsOnly", 403, member.locale);
  return new Response(file.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
