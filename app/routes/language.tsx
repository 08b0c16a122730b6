import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Refusal } from "~/components/refusal";
import { toPageUnlessPosted } from "~/lib/action-only.server";
import { getMember, safeRedirect } from "~/lib/auth.server";
import { readFormData } from "~/lib/forms";
import { isLocale, type MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";
import { localeCookie } from "~/lib/i18n/locale.server";
import { setMemberLocale } from "~/models/members.server";

// The language switch in the header: a member's choice is saved with their account, a
// visitor's in a cookie.
export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) return data({ message: "language.unknown" as MessageKey }, { status: 400 });
  const member = await getMember(request);
  if (member) setMemberLocale(member.id, locale);
  return redirect(safeRedirect(form.get("redirectTo")), { status: 303, headers: { "Set-Cookie": localeCookie(locale) } });
}

export function loader({ context }: LoaderFunctionArgs) {
  return toPageUnlessPosted(context, "/");
}

// A refused switch (an unknown language) shows why; without JavaScript there is no other page.
export default function Language() {
  const t = useT();
  const result = useActionData<typeof action>();
  return <Refusal message={result?.message ?? "error.badRequest"} back="/" backLabel={t("error.backHome")} />;
}
