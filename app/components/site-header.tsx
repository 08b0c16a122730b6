import { Form, useLocation, useNavigation } from "@remix-run/react";
import { linkTo, navLinkTo, type Place } from "~/components/link";
import { useEffect, useRef } from "react";
import { translator, type Locale, type MessageKey } from "~/lib/i18n";

type Item = { to: string; label: MessageKey; end?: boolean; primary?: boolean };

// The network's pages in the order a newcomer needs them. On a phone only the `primary` ones stand
// in the bar; the rest are one tap away in the menu.
const items: Item[] = [
  { to: "/", label: "nav.initiatives", end: true },
  { to: "/agenda", label: "nav.agenda", primary: true },
  { to: "/now", label: "header.now" },
  { to: "/members", label: "members.title" },
  { to: "/methods", label: "header.methods" },
  { to: "/proposals", label: "nav.proposals" },
  { to: "/network", label: "nav.network" },
  { to: "/digest", label: "header.digest" },
  { to: "/initiatives/new", label: "nav.newInitiative" },
];

type Member = { id: string; displayName: string } | null;

/**
 * The header: on a phone the site name, the most used page and a menu (<details>, so it opens
 * without JavaScript too); from 48rem the account on the first line and every page in a row below.
 * Labels never break inside a word (meedoen.css).
 */
export function SiteHeader({ locale, member }: { locale: Locale; member: Member }) {
  const t = translator(locale);
  const location = useLocation();
  const next = useNavigation().location;
  const here = location.pathname + location.search;
  const menu = useRef<HTMLDetailsElement>(null);
  // Following a link or sending a form in the open menu keeps the page (Remix): close the menu as a
  // page load would. Every navigation has a key of its own, also one back to the same address (the
  // language switch, logging out on the home page).
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  const links = (className: string) => (
    <ul className={className}>
      {items.map((item) => (
        <li key={item.to} className={item.primary ? "primary" : undefined}>
          <a {...navLinkTo(item.to, location, next, { end: item.end })}>{t(item.label)}</a>
        </li>
      ))}
    </ul>
  );
  return (
    <header className="site-header">
      <div className="wrap header-bar">
        <a className="brand" {...linkTo("/")}>
          Meedoen
        </a>
        <div className="header-account">
          <Account t={t} member={member} here={here} location={location} next={next} />
          <LanguageSwitch t={t} locale={locale} here={here} />
        </div>
        <nav aria-label={t("nav.label")} className="main-nav">
          {links("nav-row")}
          <details className="nav-menu" ref={menu}>
            <summary>
              {t("header.menu")}
            </summary>
            <div className="nav-panel">
              {links("nav-list")}
              <div className="nav-account">
                <Account t={t} member={member} here={here} location={location} next={next} />
                <LanguageSwitch t={t} locale={locale} here={here} />
              </div>
            </div>
          </details>
        </nav>
      </div>
    </header>
  );
}

type Translate = ReturnType<typeof translator>;

function Account({ t, member, here, location, next }: { t: Translate; member: Member; here: string; location: Place; next: Place | undefined }) {
  if (!member) {
    // Back to this page after logging in or creating an account (not to the pages themselves).
    const back = here.startsWith("/login") || here.startsWith("/signup") || here.startsWith("/welcome") ? "" : `?redirectTo=${encodeURIComponent(here)}`;
    return (
      <>
        <a {...navLinkTo(`/login${back}`, location, next)}>{t("nav.login")}</a>
        <a {...navLinkTo(`/signup${here === "/" ? "" : back}`, location, next)}>{t("nav.signup")}</a>
      </>
    );
  }
  return (
    <Form method="post" action="/logout" className="inline-form">
      <a {...navLinkTo(`/members/${member.id}`, location, next, { className: "who" })} title={t("nav.profile")}>
        {member.displayName}
      </a>{" "}
      <a {...navLinkTo("/settings", location, next)}>{t("nav.settings")}</a>{" "}
      <button type="submit" className="link-button">
        {t("nav.logout")}
      </button>
    </Form>
  );
}

function LanguageSwitch({ t, locale, here }: { t: Translate; locale: Locale; here: string }) {
  return (
    <Form method="post" action="/language" className="language-switch" aria-label={t("language.label")}>
      <input type="hidden" name="redirectTo" value={here} />
      <button type="submit" name="locale" value="nl" aria-pressed={locale === "nl"} lang="nl">
        NL<span className="visually-hidden"> Nederlands</span>
      </button>
      <button type="submit" name="locale" value="en" aria-pressed={locale === "en"} lang="en">
        EN<span className="visually-hidden"> English</span>
      </button>
    </Form>
  );
}
