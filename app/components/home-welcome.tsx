import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

/** For a visitor: what this network is, in two sentences, and how to join. */
export function AboutNetwork() {
  const t = useT();
  return (
    <section className="welcome-about" aria-label={t("home.join.signup")}>
      <p>{t("home.about")}</p>
      <p>{t("home.join")}</p>
      <p className="row-links">
        <Link className="button" to="/signup?redirectTo=%2F">
          {t("home.join.signup")}
        </Link>
        <Link to="/how-it-works">{t("home.join.how")}</Link>
      </p>
    </section>
  );
}

/** A network without initiatives yet: what to do first, instead of an empty list. */
export function EmptyNetwork({ loggedIn }: { loggedIn: boolean }) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="empty-network-heading">
      <h2 id="empty-network-heading">{t("home.empty.title")}</h2>
      <p>{t("home.empty.text")}</p>
      {loggedIn ? (
        <ol className="welcome-steps">
          <li>
            <Link to="/settings/profile">{t("welcome.profile.link")}</Link> — {t("home.empty.profile")}
          </li>
          <li>
            <Link to="/initiatives/new">{t("nav.newInitiative")}</Link> — {t("home.empty.initiative")}
          </li>
          <li>{t("home.empty.invite")}</li>
        </ol>
      ) : (
        <p>{t("home.empty.visitor")}</p>
      )}
    </section>
  );
}
