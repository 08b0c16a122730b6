import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { translator } from "~/lib/i18n";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { previewResponse } from "~/lib/preview.server";
import { getProfile } from "~/models/profiles.server";

// The card shown when a link to a member's profile is shared. Chat apps fetch it without logging
// in, so members-only profiles and former members have none.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const profile = params.id ? getProfile(params.id) : null;
  if (!profile || profile.deleted || profile.profileVisibility !== "public") throw data(null, { status: 404 });
  const t = translator(resolveLocale(request, null));
  const lines = [[profile.work, profile.organisation].filter(Boolean).join(" · "), profile.nowText].filter(Boolean);
  return previewResponse(request, { kicker: t("preview.member"), title: profile.displayName, lines });
}
