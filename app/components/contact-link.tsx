import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

/** "Send a message" to a member (a visitor is asked to log in first, and comes back to the form). */
export function ContactLink({ memberId, name, state, button = false }: { memberId: string; name: string; state: "open" | "off" | "none"; button?: boolean }) {
  const t = useT();
  if (state === "none") return null;
  if (state === "off") return <p className="muted">{t("contact.offOnProfile", { name })}</p>;
  return (
    <Link to={`/members/${memberId}/message`} className={button ? "button secondary" : "contact-link"}>
      {t("contact.button")}
      <span className="visually-hidden"> {t("contact.button.toSuffix", { name })}</span>
    </Link>
  );
}
