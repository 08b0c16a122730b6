import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useNavigation,
  useRouteLoaderData,
} from "@remix-run/react";
import { LinkNavigation, linkTo } from "~/components/link";
import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";
import { Notice } from "~/components/notice";
import { getCurrent } from "~/lib/auth.server";
import { originOf } from "~/lib/calendar.server";
import { env } from "~/lib/env.server";
import { defaultLocale, translator, type Locale } from "~/lib/i18n";
import { errorMeta, titleMeta } from "~/lib/meta";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { useNonce } from "~/lib/nonce";
import { FlagReceived } from "~/components/flag-received";
import { SiteHeader } from "~/components/site-header";
// The compiler gives the style sheet a name with its content's hash: cached for a year, and an
// upgrade that changes it changes the name.
import stylesheet from "~/styles/meedoen.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// The title of pages whose route has none: the error pages (an unknown address has no route of its
// own) and the pages an action shows when it refuses.
export const meta: MetaFunction = ({ matches, error }) => (error ? errorMeta(matches, error) : titleMeta(matches, null));

export async function loader({ request }: LoaderFunctionArgs) {
  const current = await getCurrent(request);
  const locale = resolveLocale(request, current?.member.locale);
  const body = {
    locale,
    timeZone: env().TZ_COMMUNITY,
    member: current ? { id: current.member.id, displayName: current.member.displayName } : null,
    // For absolute addresses in the tags chat apps read (shareMeta).
    origin: originOf(request),
  };
  // Lucia extends a session that is half-way through; the browser then needs the new cookie.
  return current?.refreshCookie ? data(body, { headers: { "Set-Cookie": current.refreshCookie } }) : body;
}

type RootData = { locale: Locale; member: { id: string; displayName: string } | null };

function Shell({ children, locale, member, tail }: { children: ReactNode; locale: Locale; member: RootData["member"]; tail: ReactNode }) {
  const t = translator(locale);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <LinkNavigation>
          <a className="skip-link" href="#main" onClick={skipToMain}>
            {t("nav.skip")}
          </a>
          <SiteHeader locale={locale} member={member} />
          <main id="main" className="wrap" tabIndex={-1}>
            <FlagReceived loggedIn={!!member} />
            <Notice />
            {children}
          </main>
          <footer className="site-footer">
            <div className="wrap">
              <p>{t("footer.tagline")}</p>
              <nav aria-label={t("footer.nav")} className="row-links">
                <a {...linkTo("/how-it-works")}>{t("nav.howItWorks")}</a>
                <a {...linkTo("/proposals")}>{t("proposal.list.title")}</a>
                <a {...linkTo("/rules")}>{t("rules.title")}</a>
                <a {...linkTo("/log")}>{t("log.title")}</a>
                <a {...linkTo("/members")}>{t("members.title")}</a>
                <a {...linkTo("/organisations")}>{t("organisations.title")}</a>
                <a {...linkTo("/now")}>{t("now.page.title")}</a>
                <a {...linkTo("/digest")}>{t("footer.digest")}</a>
              </nav>
            </div>
          </footer>
        </LinkNavigation>
        {tail}
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<RootData>("root");
  const nonce = useNonce();
  return (
    <Shell
      locale={root?.locale ?? defaultLocale}
      member={root?.member ?? null}
      tail={
        <>
          <ScrollRestoration nonce={nonce} />
          <Scripts nonce={nonce} />
        </>
      }
    >
      {children}
    </Shell>
  );
}

/**
 * The skip link without a page change: with JavaScript, following "#main" would also be a Remix
 * navigation, whose scroll to the anchor can come after the reader has already tabbed on (and
 * leave the control they reached out of sight). Without JavaScript the browser does the same.
 */
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  const main = document.getElementById("main");
  if (!main) return;
  event.preventDefault();
  main.scrollIntoView();
  main.focus({ preventScroll: true });
}

/**
 * Keeps keyboard and screen reader users where they expect to be when Remix changes the page
 * without loading a new one: after following a link (or a form to another page), focus moves to
 * the new page's main content, as a page load would start them at the top with the skip link;
 * after a form comes back with errors, to the first field in error (its error is read with it),
 * also when the form's answer is a page of its own, or to the form's own refusal when no field is;
 * and when the control they used is gone (a button replaced by another), to the main content
 * rather than nowhere. A search form stays where it is.
 */
function useFocusAfterNavigation() {
  const location = useLocation();
  const navigation = useNavigation();
  const last = useRef({ path: location.pathname, url: location.pathname + location.search });
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state !== "idle" && navigation.formData) submitted.current = true;
  }, [navigation]);
  useEffect(() => {
    if (navigation.state !== "idle") return;
    const url = location.pathname + location.search;
    const pathChanged = last.current.path !== location.pathname;
    const urlChanged = last.current.url !== url;
    const wasSubmission = submitted.current;
    last.current = { path: location.pathname, url };
    submitted.current = false;
    const main = document.getElementById("main");
    if (!main) return;
    // A form refused on the page of its own address (a mistyped check-in code) has a new path too.
    const invalid = wasSubmission ? main.querySelector<HTMLElement>('[aria-invalid="true"]') : null;
    const field = invalid?.matches("fieldset") ? invalid.querySelector<HTMLElement>("input, select, textarea") : invalid;
    if (field) {
      field.focus();
      return;
    }
    // A refusal of the whole form (FormError, focusable for this) is scrolled into view and read.
    const alert = wasSubmission && !pathChanged ? main.querySelector<HTMLElement>('[role="alert"][tabindex="-1"]') : null;
    if (alert) {
      alert.focus();
      return;
    }
    if (pathChanged || (urlChanged && !wasSubmission)) {
      main.focus({ preventScroll: true });
      return;
    }
    if (!wasSubmission) return;
    if (!document.activeElement || document.activeElement === document.body) main.focus({ preventScroll: true });
  }, [navigation.state, location]);
}

export default function App() {
  useFocusAfterNavigation();
  return <Outlet />;
}

export { ErrorPage as ErrorBoundary } from "~/components/error-page";
