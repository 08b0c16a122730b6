// Links to pages of this site, made cheaply (ADR 036).
//
// Remix's <Link> resolves its address against the routes of the page, twice or three times, on
// every render, and sets up a click handler with hooks of its own: on the home page's hundred-odd
// links that was a seventh of what making the page cost. Nearly every link here names an
// absolute address ("/initiatives/12"), which needs no resolving. Such a link is a plain <a>
// whose click goes, through one shared handler, to the router's navigate function, with the
// same rules as Remix's links: a plain left click without modifier keys becomes a navigation
// without a page load, and following a link to the page one is on replaces it in the history.
// Without JavaScript, or with a modifier key, it is an ordinary link.
//
// Anything else (a relative or hash-only address, an object, prefetch, replace, state, a target,
// a click handler of its own) is given to Remix's own <Link>, unchanged. The header's page links
// (navLinkTo below) are made the same way, and marked as Remix's NavLink marks them: the page one
// is on, or is going to.
import { Link as RemixLink, useNavigate } from "@remix-run/react";
import { forwardRef, useEffect, type ComponentProps, type MouseEvent, type ReactNode } from "react";

type Navigate = ReturnType<typeof useNavigate>;
/** The router's navigate function, once the page runs in a browser (never on the server). */
let navigateTo: Navigate | null = null;

/** Hands the router's navigate function to the links; the root layout wraps the page in it. */
export function LinkNavigation({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    navigateTo = navigate;
  }, [navigate]);
  return children;
}

/** One click handler for every plain link: it reads the address from the link itself. */
function followLink(event: MouseEvent<HTMLAnchorElement>) {
  if (!navigateTo || event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
  const to = event.currentTarget.getAttribute("href")!;
  event.preventDefault();
  const here = window.location.pathname + window.location.search + window.location.hash;
  navigateTo(to, { replace: here === to });
}

type Props = ComponentProps<typeof RemixLink>;

/** A link for Remix's own <Link>: not an absolute address of this site, or with what only it does. */
function needsRemix(props: Props): boolean {
  const { to } = props;
  if (typeof to !== "string" || to.charAt(0) !== "/" || to.charAt(1) === "/") return true;
  return (
    props.onClick !== undefined ||
    props.prefetch !== undefined ||
    props.reloadDocument !== undefined ||
    props.replace !== undefined ||
    props.state !== undefined ||
    props.preventScrollReset !== undefined ||
    props.relative !== undefined ||
    props.viewTransition !== undefined ||
    props.target !== undefined ||
    props.download !== undefined ||
    props.discover !== undefined
  );
}

/**
 * The attributes of a plain link to `to`, an absolute address of this site, for an <a> written
 * out where links repeat by the dozen (cards, tags, the header): the same link as <Link>, without
 * a component around it, which costs React about as much as the anchor itself.
 */
export function linkTo(to: string): { href: string; "data-discover": "true"; onClick: typeof followLink } {
  return { "data-discover": "true", href: to, onClick: followLink };
}

export const Link = forwardRef<HTMLAnchorElement, Props>(function Link(props, ref) {
  if (needsRemix(props)) return <RemixLink ref={ref} {...props} />;
  // data-discover as Remix's links have it: the browser then fetches the routes such a link leads
  // to before it is followed. `to` is written over with undefined (no attribute) instead of being
  // left out by destructuring: V8 copies an object without named keys on a slow path, which was
  // 4% of a member's initiative page with its dozens of links.
  const anchor = { ...props, to: undefined } as ComponentProps<"a">;
  return <a {...anchor} ref={ref} data-discover="true" href={props.to as string} onClick={followLink} />;
});

/** Whether a link to `target` (a path, lower case) stands for `pathname`, by React Router's rule. */
function leadsTo(target: string, pathname: string, end: boolean, afterPrefix: number): boolean {
  const here = pathname.toLowerCase();
  return here === target || (!end && here.startsWith(target) && here.charAt(afterPrefix) === "/");
}

/** A location, as far as the header's links need it (useLocation, useNavigation). */
export type Place = { pathname: string };

/**
 * The attributes of one of the header's page links: a plain link, marked while one is on that
 * page (aria-current, class "active") or on the way to it (class "pending"). `here` is the
 * current location, `next` the one being loaded, if any (useLocation, useNavigation).
 */
export function navLinkTo(to: string, here: Place, next: Place | undefined, { end = false, className }: { end?: boolean; className?: string } = {}) {
  const target = to.replace(/[?#].*$/, "").toLowerCase();
  const slash = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  const isActive = leadsTo(target, here.pathname, end, slash);
  const isPending = !!next && leadsTo(target, next.pathname, end, target.length);
  const classes = [className, isActive ? "active" : null, isPending ? "pending" : null].filter(Boolean).join(" ");
  return { className: classes, "aria-current": isActive ? ("page" as const) : undefined, ...linkTo(to) };
}
