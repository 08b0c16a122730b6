import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { translate, type MessageKey } from "~/lib/i18n";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { learningPdfDownload } from "~/models/learning-page.server";

// A file address answers a refusal as plain text, in both languages.
const refusal = (key: MessageKey, status: number, headers: Record<string, string> = {}) =>
  new Response(`${translate("nl", key)}\n${translate("en", key)}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });

// GET /settings/learning.pdf?lang=nl|en[&year=2026][&code=…] — the record of learning as a PDF.
export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const query = new URL(request.url).searchParams;
  const pdf = await learningPdfDownload(member, { lang: query.get("lang"), year: query.get("year"), code: query.get("code") }, resolveLocale(request, member.locale), originOf(request));
  if (pdf === "bad-request") throw refusal("learning.pdf.badRequest", 400);
  if (pdf === "not-found") throw refusal("learning.link.unknown", 404);
  if (pdf === "busy") throw refusal("learning.pdf.busy", 503, { "Retry-After": "30" });
  return new Response(new Uint8Array(pdf.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${pdf.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
