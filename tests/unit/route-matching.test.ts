// Remembered route matching (app/lib/route-matching.server.ts) answers exactly as React Router's
// own matching does, for the tree it is asked about, and shares nothing a caller could change.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { rememberRouteMatches } from "~/lib/route-matching.server";

type Route = { id: string; path?: string; index?: boolean; children?: Route[] };
const router = createRequire(import.meta.url)("@remix-run/router") as {
  matchRoutes: (routes: Route[], location: string | { pathname: string }, basename?: string) => { params: Record<string, string>; pathname: string; pathnameBase: string; route: Route }[] | null;
};
const original = router.matchRoutes;

// The shape of this app's routes: a root, an index, static and parameter segments, files.
const tree = (): Route[] => [
  {
    id: "root",
    path: "",
    children: [
      { id: "routes/_index", index: true },
      { id: "routes/agenda", path: "agenda" },
      { id: "routes/agenda[.ics]", path: "agenda.ics" },
      { id: "routes/initiatives.new", path: "initiatives/new" },
      { id: "routes/initiatives.$id", path: "initiatives/:id" },
      { id: "routes/initiatives.$id_.edit", path: "initiatives/:id/edit" },
      { id: "routes/sessions.$id_.calendar[.ics]", path: "sessions/:id/calendar.ics" },
      { id: "routes/members.$id", path: "members/:id" },
      { id: "routes/password.reset.$token", path: "password/reset/:token" },
    ],
  },
];
const addresses = ["/", "/agenda", "/agenda.ics", "/initiatives/new", "/initiatives/12", "/initiatives/12/edit", "/sessions/3/calendar.ics", "/members/abc%20d", "/password/reset/x-y", "/nothing/here", "/initiatives/12/?q=1", ""];

const plain = (matches: ReturnType<typeof original>) => matches && matches.map((m) => ({ ...m, route: m.route.id }));

describe("remembered route matching", () => {
  it("is installed where Remix and React Router look for it", () => {
    expect(rememberRouteMatches()).toBe(true);
    expect(router.matchRoutes).not.toBe(original);
    expect(rememberRouteMatches()).toBe(true);
  });

  it("answers as React Router does, the first time and when asked again", () => {
    rememberRouteMatches();
    const routes = tree();
    for (const address of addresses) {
      const expected = original(routes, address);
      for (let i = 0; i < 2; i++) {
        const answer = router.matchRoutes(routes, address);
        expect(plain(answer), address).toEqual(plain(expected));
        answer?.forEach((m, j) => expect(m.route).toBe(expected![j].route));
      }
      expect(plain(router.matchRoutes(routes, { pathname: address }))).toEqual(plain(original(routes, { pathname: address })));
    }
    expect(router.matchRoutes(routes, "/initiatives/12")!.at(-1)!.params).toEqual({ id: "12" });
    expect(router.matchRoutes(routes, "/nothing/here")).toBeNull();
  });

  it("gives the route objects of the tree it is asked about, and its own parameters to each caller", () => {
    rememberRouteMatches();
    const first = tree();
    const rebuilt = tree();
    const a = router.matchRoutes(first, "/members/7")!;
    const b = router.matchRoutes(rebuilt, "/members/7")!;
    expect(a.at(-1)!.route).toBe(first[0].children![7]);
    expect(b.at(-1)!.route).toBe(rebuilt[0].children![7]);
    a.at(-1)!.params.id = "changed";
    expect(router.matchRoutes(first, "/members/7")!.at(-1)!.params.id).toBe("7");
  });

  it("tells different trees and base paths apart", () => {
    rememberRouteMatches();
    const other: Route[] = [{ id: "root", path: "", children: [{ id: "routes/agenda", path: "kalender" }] }];
    expect(plain(router.matchRoutes(tree(), "/agenda"))).not.toBeNull();
    expect(router.matchRoutes(other, "/agenda")).toBeNull();
    expect(plain(router.matchRoutes(other, "/kalender"))).toEqual(plain(original(other, "/kalender")));
    expect(plain(router.matchRoutes(tree(), "/app/agenda", "/app"))).toEqual(plain(original(tree(), "/app/agenda", "/app")));
    expect(router.matchRoutes(tree(), "/agenda", "/app")).toBeNull();
  });
});
