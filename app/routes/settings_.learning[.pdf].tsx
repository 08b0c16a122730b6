import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { formRefusal } from "~/lib/forms";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { learningPdfDownload } from "~/models/learning-page.server";

// GET /settings/learning.pdf?lang=nl|en[&year=2026][&code=…] — the record of learning as a PDF.
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const query = new URL(request.url).searchParams;
  const pdf = await learningPdfDownload(member, { lang: query.get("lang"), year: query.get("year"), code: query.get("code") }, resolveLocale(request, member.locale), originOf(request));
  if (pdf === "bad-request") throw formRefusal("learning.pdf.badRequest", 400);
  if (pdf === "not-found") throw formRefusal("learning.link.unknown", 404);
  return new Response(new Uint8Array(pdf.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${pdf.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
