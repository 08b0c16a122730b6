// Links to pages of this site, made cheaply (ADR 036).
//
// Remix's <Link> resolves its address against the routes of the page, twice or three times, on
// every render, and sets up a click handler with hooks of its own: on the home page's hundred-odd
// links that was a seventh of what making the page cost. Nearly every link here names an
// absolute address ("/initiatives/12"), which needs no resolving. Such a link is a plain <a>
// whose click is handed to the router's one navigate function, shared through context, with the
// same rules as Remix's links: a plain left click without modifier keys becomes a navigation
// without a page load, and following a link to the page one is on replaces it in the history.
// Without JavaScript, or with a modifier key, it is an ordinary link.
//
// Anything else (a relative or hash-only address, an object, prefetch, replace, state, a target)
// is given to Remix's own <Link>, unchanged. The header's page links (NavLink below) are made the
// same way, and marked as Remix marks them: the page one is on, or is going to.
import { Link as RemixLink, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { createContext, forwardRef, useContext, type ComponentProps, type MouseEvent, type ReactNode } from "react";

type Navigate = ReturnType<typeof useNavigate>;
const NavigateContext = createContext<Navigate | null>(null);

/** Gives the links inside it the router's navigate function; the root layout wraps the page in it. */
export function LinkNavigation({ children }: { children: ReactNode }) {
  return <NavigateContext.Provider value={useNavigate()}>{children}</NavigateContext.Provider>;
}

type Props = ComponentProps<typeof RemixLink>;
const remixOnly = ["prefetch", "reloadDocument", "replace", "state", "preventScrollReset", "relative", "viewTransition", "target", "download", "discover", "unstable_viewTransition"];

export function isPlainAddress(to: Props["to"]): to is string {
  return typeof to === "string" && to.startsWith("/") && !to.startsWith("//");
}

export const Link = forwardRef<HTMLAnchorElement, Props>(function Link(props, ref) {
  const navigate = useContext(NavigateContext);
  const { to, onClick, ...rest } = props;
  if (!isPlainAddress(to) || remixOnly.some((name) => name in props)) return <RemixLink ref={ref} {...props} />;
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (!navigate || event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    const here = window.location.pathname + window.location.search + window.location.hash;
    navigate(to, { replace: here === to });
  };
  // data-discover as Remix's links have it: the browser then fetches the routes such a link leads
  // to before it is followed.
  return <a {...rest} ref={ref} data-discover="true" href={to} onClick={follow} />;
});

/** Whether a link to `target` (a path, lower case) stands for `pathname`, by React Router's rule. */
function leadsTo(target: string, pathname: string, end: boolean, afterPrefix: number): boolean {
  const here = pathname.toLowerCase();
  return here === target || (!end && here.startsWith(target) && here.charAt(afterPrefix) === "/");
}

type NavProps = { to: string; end?: boolean; className?: string; title?: string; children: ReactNode };

/** A link to one of the site's pages, marked while one is on that page (aria-current) or on the way. */
export const NavLink = forwardRef<HTMLAnchorElement, NavProps>(function NavLink({ to, end = false, className, ...rest }, ref) {
  const location = useLocation();
  const next = useNavigation().location;
  const target = to.replace(/[?#].*$/, "").toLowerCase();
  const slash = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  const isActive = leadsTo(target, location.pathname, end, slash);
  const isPending = !!next && leadsTo(target, next.pathname, end, target.length);
  const classes = [className, isActive ? "active" : null, isPending ? "pending" : null].filter(Boolean).join(" ");
  return <Link ref={ref} {...rest} to={to} className={classes} aria-current={isActive ? "page" : undefined} />;
});
