import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { getMember, safeRedirect } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { isLocale } from "~/lib/i18n";
import { localeCookie } from "~/lib/i18n/locale.server";
import { setMemberLocale } from "~/models/members.server";

// The language switch in the header: a member's choice is saved with their account, a
// visitor's in a cookie.
export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) throw data("Unknown language / Onbekende taal", { status: 400 });
  const member = await getMember(request);
  if (member) setMemberLocale(member.id, locale);
  return redirect(safeRedirect(form.get("redirectTo")), { status: 303, headers: { "Set-Cookie": localeCookie(locale) } });
}

export function loader() {
  return redirect("/");
}
