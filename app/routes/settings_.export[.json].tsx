import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/auth.server";
import { textRefusal } from "~/lib/i18n/locale.server";
import { exportMemberData } from "~/models/account.server";

// GET /settings/export.json — all of the member's data as a download (governance.md §8).
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const exported = exportMemberData(member.id);
  if (!exported) throw textRefusal(request, "error.notFound", 404, member.locale);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="meedoen-${date}.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
