// One request handler per group of routes a page can use, instead of one for all of them.
//
// For every page Remix's request handler matches the address against the whole route list inside
// React Router's data router (where the remembered matching of route-matching.server.ts cannot
// reach: it calls its own copy), and the page's render makes a route object for every route of the
// app. With this app's hundred-odd routes that was a sixth of a member's static page (ADR 036).
// A page only ever uses the routes that match its address and the addresses above it (the same
// set Remix puts in the page's route manifest for the browser), so a handler made for just those
// answers it alike, and finds its routes among a handful.
//
// An address no route matches, a data request of client-side navigation (`.data`) and the route
// manifest the browser asks for (`/__manifest`) go to the handler with every route.
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createRequire } from "node:module";

type RequestHandler = ReturnType<typeof createRequestHandler>;
type TreeRoute = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children: TreeRoute[] };
type MatchRoutes = (routes: TreeRoute[], location: string) => { route: TreeRoute }[] | null;

const maxHandlers = 500;

/** The route tree of a build, in the form React Router matches. */
function routeTree(routes: ServerBuild["routes"]): TreeRoute[] {
  const made = new Map<string, TreeRoute>();
  for (const route of Object.values(routes)) {
    made.set(route.id, { id: route.id, path: route.path, index: route.index, caseSensitive: route.caseSensitive, children: [] });
  }
  const top: TreeRoute[] = [];
  for (const route of Object.values(routes)) {
    const parent = route.parentId ? made.get(route.parentId) : undefined;
    (parent ? parent.children : top).push(made.get(route.id)!);
  }
  return top;
}

/** The addresses whose matches a page's manifest includes: its own and each one above it. */
export function addressesAbove(pathname: string): string[] {
  const segments = pathname.split("/").filter(Boolean);
  const addresses = [pathname, "/"];
  segments.pop();
  while (segments.length > 0) {
    addresses.push(`/${segments.join("/")}`);
    segments.pop();
  }
  return addresses;
}

export function routeHandlers(build: ServerBuild, mode: string): (pathname: string) => RequestHandler {
  const everything = createRequestHandler(build, mode);
  // Looked up on each call, as Remix does: the remembered matching (route-matching.server.ts)
  // replaces it on the package's exports, whether before or after this handler is made.
  const router = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: MatchRoutes };
  const tree = routeTree(build.routes);
  const manifestAddress = `${build.basename ?? "/"}/__manifest`.replace(/\/+/g, "/");
  const handlers = new Map<string, RequestHandler>();

  const handlerFor = (ids: string[]): RequestHandler => {
    const key = ids.join("\n");
    let handler = handlers.get(key);
    if (!handler) {
      const pick = <T>(all: Record<string, T>) => Object.fromEntries(ids.map((id) => [id, all[id]]));
      const part: ServerBuild = { ...build, routes: pick(build.routes), assets: { ...build.assets, routes: pick(build.assets.routes) } };
      if (handlers.size >= maxHandlers) handlers.clear();
      handlers.set(key, (handler = createRequestHandler(part, mode)));
    }
    return handler;
  };

  return (pathname) => {
    if (pathname === manifestAddress || pathname.endsWith(".data")) return everything;
    const own = router.matchRoutes(tree, pathname);
    if (!own?.length) return everything;
    const ids = new Set<string>();
    for (const address of addressesAbove(pathname)) {
      for (const match of address === pathname ? own : (router.matchRoutes(tree, address) ?? [])) ids.add(match.route.id);
    }
    // In the order of the build, so that the same routes always make the same key.
    return handlerFor(Object.keys(build.routes).filter((id) => ids.has(id)));
  };
}
