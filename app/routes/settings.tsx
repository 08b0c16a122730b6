import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { Link } from "~/components/link";
import { requireMember } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { readFormData, type FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDateTime } from "~/lib/time";
import { mailSettingsOf, saveMailSettings } from "~/models/account.server";
import { emailSettingsOf } from "~/models/account-changes.server";
import { calendarTokenOf, renewCalendarToken } from "~/models/members.server";
import { contactIsOff, setContactOff } from "~/models/contact.server";
import { ContactSetting } from "~/components/contact-setting";
import { withNotice } from "~/lib/notice";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "settings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const token = calendarTokenOf(member.id);
  const mail = mailSettingsOf(member.id);
  return {
    calendarUrl: token ? `${originOf(request)}/calendar/${token}.ics` : null,
    // The digest has its own opt-in below; the other kinds are on until switched off.
    mailKinds: Object.entries(mail.on)
      .filter(([kind]) => kind !== "digest")
      .map(([kind, on]) => ({ kind, on })),
    digestOptIn: mail.digestOptIn,
    undelivered: mail.undelivered,
    contactOn: !contactIsOff(member.id),
    login: emailSettingsOf(member.id),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireMember(request);
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent === "renew-calendar") renewCalendarToken(member.id);
  else if (intent === "revoke-calendar") renewCalendarToken(member.id, true);
  else if (intent === "mail") {
    saveMailSettings(member.id, {
      kindsOn: form.getAll("mail").filter((v): v is string => typeof v === "string"),
      digestOptIn: form.get("digest") === "on",
    });
  } else if (intent === "contact") {
    setContactOff(member.id, form.get("contact") !== "on");
  } else {
    // No such form on this page (an old page, a script): a refusal of the whole form.
    return data({ errors: { form: "error.badRequest" } as FieldErrors }, { status: 400 });
  }
  return redirect(withNotice("/settings", "saved"), 303);
}

const kindLabels: Record<string, MessageKey> = {
  registration: "settings.mail.kind.registration",
  waitlist: "settings.mail.kind.waitlist",
  promoted: "settings.mail.kind.promoted",
  "session-changed": "settings.mail.kind.sessionChanged",
  "session-cancelled": "settings.mail.kind.sessionCancelled",
  reminder: "settings.mail.kind.reminder",
  invitation: "settings.mail.kind.invitation",
  "host-message": "settings.mail.kind.hostMessage",
  "host-request": "settings.mail.kind.hostRequest",
  "founder-yes": "settings.mail.kind.founderYes",
  "check-in-struck": "settings.mail.kind.checkInStruck",
  "proposal-reminder": "settings.mail.kind.proposalReminder",
  "proposal-opened": "settings.mail.kind.proposalOpened",
};

export default function Settings() {
  const t = useT();
  const { calendarUrl, mailKinds, digestOptIn, undelivered, contactOn, login } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const refused = useActionData<typeof action>();
  return (
    <section className="narrow">
      <h1>{t("settings.title")}</h1>
      <FormError errors={refused?.errors} />
      <h2 id="login">{t("settings.login")}</h2>
      <p>{t("settings.login.email", { email: login.email })}</p>
      {login.waiting ? (
        <p className="notice">{t("settings.login.waiting", { email: login.waiting.email, until: formatDateTime(login.waiting.until, locale, timeZone) })}</p>
      ) : null}
      <ul className="row-links plain">
        <li>
          <Link to="/settings/email">{t("settings.login.changeEmail")}</Link>
        </li>
        <li>
          <Link to="/settings/password">{t("settings.login.changePassword")}</Link>
        </li>
      </ul>
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

      <h2 id="mail">{t("settings.mail")}</h2>
      {undelivered ? (
        <p className="notice" role="status">
          {t("settings.mail.undelivered", { when: formatDateTime(undelivered.at, locale, timeZone), error: undelivered.error })}
        </p>
      ) : null}
      <Form method="post">
        <fieldset className="field">
          <legend>{t("settings.mail.intro")}</legend>
          <div className="choices">
            {mailKinds.map(({ kind, on }) => (
              <label className="choice" key={kind}>
                <input type="checkbox" name="mail" value={kind} defaultChecked={on} />
                <span>{kindLabels[kind] ? t(kindLabels[kind]) : kind}</span>
              </label>
            ))}
          </div>
          <p className="hint">{t("settings.mail.always")}</p>
        </fieldset>
        <fieldset className="field">
          <legend>{t("settings.digest")}</legend>
          <div className="choices">
            <label className="choice">
              <input type="checkbox" name="digest" value="on" defaultChecked={digestOptIn} />
              <span>
                <strong>{t("settings.digest.optIn")}</strong> <span className="hint">{t("settings.digest.hint")}</span>
              </span>
            </label>
          </div>
          <p className="hint">
            <Link to="/digest">{t("settings.digest.read")}</Link>
          </p>
        </fieldset>
        <button type="submit" name="intent" value="mail" className="button">
          {t("settings.mail.save")}
        </button>
      </Form>

      <h2 id="learning">{t("learning.title")}</h2>
      <p>{t("settings.learning.intro")}</p>
      <p>
        <Link to="/settings/learning">{t("settings.learning.link")}</Link>
      </p>
      <ContactSetting on={contactOn} />

      <h2 id="data">{t("settings.data")}</h2>
      <p>{t("settings.data.intro")}</p>
      <p>
        <a href="/settings/export.json" download className="button secondary">
          {t("settings.data.download")}
        </a>
      </p>
      <div className="danger-zone">
        <h2>{t("settings.leave")}</h2>
        <p>{t("settings.leave.intro")}</p>
        <p>
          <Link to="/settings/delete">{t("settings.leave.link")}</Link>
        </p>
      </div>
    </section>
  );
}
