import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { readFormData } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { calendarTokenOf, renewCalendarToken } from "~/models/members.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const token = calendarTokenOf(member.id);
  return { calendarUrl: token ? `${originOf(request)}/calendar/${token}.ics` : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const intent = (await readFormData(request)).get("intent");
  if (intent === "renew-calendar") renewCalendarToken(member.id);
  if (intent === "revoke-calendar") renewCalendarToken(member.id, true);
  return redirect("/settings", 303);
}

export default function Settings() {
  const t = useT();
  const { calendarUrl } = useLoaderData<typeof loader>();
  return (
    <section className="narrow">
      <h1>{t("settings.title")}</h1>
      <h2>{t("settings.calendar")}</h2>
      <p>{t("settings.calendar.intro")}</p>
      {calendarUrl ? (
        <div className="field">
          <label htmlFor="calendar-url">{t("settings.calendar.url")}</label>
          <input id="calendar-url" type="text" readOnly value={calendarUrl} />
        </div>
      ) : (
        <p className="muted">{t("settings.calendar.none")}</p>
      )}
      <Form method="post" className="row-links">
        <button type="submit" name="intent" value="renew-calendar" className="button secondary">
          {calendarUrl ? t("settings.calendar.renew") : t("settings.calendar.create")}
        </button>
        {calendarUrl ? (
          <button type="submit" name="intent" value="revoke-calendar" className="link-button">
            {t("settings.calendar.revoke")}
          </button>
        ) : null}
      </Form>
    </section>
  );
}
