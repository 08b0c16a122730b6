// Route matching, remembered. For every request Remix and React Router match the address against
// all routes several times (the request handler, the page's scripts, the rendered routes), and each
// time the route list is flattened, ranked and every pattern compiled again: with this app's ~60
// routes that was about a sixth of the CPU a member's page costs (docs/decisions/017). The answer
// depends only on the routes and the address, so it is kept for the addresses asked most recently.
//
// Remix builds a new copy of the route tree for every page it renders, so what is kept is which
// routes matched (by id), and each answer is made of the route objects of the tree it was asked
// about, with its own copy of the parameters.
//
// Installed once at start by replacing the function on the router package's exports, which is
// where Remix and React Router look it up on each call. Should a later version not allow that,
// the server runs as before, only without the memory.
import { createRequire } from "node:module";

type Route = { id?: string; children?: Route[] };
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: Route };
type MatchRoutes = ((routes: Route[], location: string | { pathname?: string }, basename?: string) => Match[] | null) & { remembered?: true };
type Kept = { id: string; params: Match["params"]; pathname: string; pathnameBase: string }[] | null;

const maxAddresses = 1_000;

/** The tree's routes by id, and a signature of its shape; null if a route has no unique id. */
const shapes = new Map<string, number>();

function indexRoutes(routes: Route[]): { byId: Map<string, Route>; shape: number } | null {
  const byId = new Map<string, Route>();
  const parts: string[] = [];
  const walk = (list: Route[]): boolean => {
    parts.push("[");
    for (const route of list) {
      if (typeof route?.id !== "string" || byId.has(route.id)) return false;
      byId.set(route.id, route);
      parts.push(route.id, ",");
      if (route.children?.length && !walk(route.children)) return false;
    }
    parts.push("]");
    return true;
  };
  if (!walk(routes)) return null;
  // The same tree rebuilt gets the same number.
  const signature = parts.join("");
  let shape = shapes.get(signature);
  if (shape === undefined) shapes.set(signature, (shape = shapes.size));
  return { byId, shape };
}

export function rememberRouteMatches(): boolean {
  const router = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: MatchRoutes };
  if (router.matchRoutes.remembered) return true;
  const original = router.matchRoutes;
  const indexes = new WeakMap<object, ReturnType<typeof indexRoutes>>();
  const kept = new Map<string, Kept>();
  const remembered: MatchRoutes = (routes, location, basename = "/") => {
    const address = typeof location === "string" ? location : location?.pathname;
    if (typeof address !== "string" || !Array.isArray(routes)) return original(routes, location, basename);
    let index = indexes.get(routes);
    if (index === undefined) indexes.set(routes, (index = indexRoutes(routes)));
    if (!index) return original(routes, location, basename);
    // A string is read as an address (its ?query dropped), an object's pathname as it is.
    const key = `${index.shape}\n${basename}\n${typeof location === "string" ? "s" : "o"}${address}`;
    let found = kept.get(key);
    if (found === undefined) {
      const matches = original(routes, location, basename);
      found = matches && matches.map((m) => ({ id: m.route.id!, params: m.params, pathname: m.pathname, pathnameBase: m.pathnameBase }));
      if (kept.size >= maxAddresses) kept.clear();
      kept.set(key, found);
    }
    return found && found.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: index.byId.get(m.id)! }));
  };
  remembered.remembered = true;
  try {
    router.matchRoutes = remembered;
  } catch {
    return false;
  }
  return router.matchRoutes === remembered;
}
