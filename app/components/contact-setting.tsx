import { Form } from "@remix-run/react";
import { useT } from "~/lib/i18n/react";

/** The switch "messages from members" on /settings: a plain form, one checkbox. */
export function ContactSetting({ on }: { on: boolean }) {
  const t = useT();
  return (
    <>
      <h2 id="contact">{t("contact.setting.title")}</h2>
      <p>{t("contact.setting.intro")}</p>
      <Form method="post">
        <div className="choices">
          <label className="choice">
            <input type="checkbox" name="contact" value="on" defaultChecked={on} />
            <span>{t("contact.setting.on")}</span>
          </label>
        </div>
        <button type="submit" name="intent" value="contact" className="button">
          {t("contact.setting.save")}
        </button>
      </Form>
    </>
  );
}
