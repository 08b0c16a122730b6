// Each page is answered by a request handler made for the routes it uses
// (app/lib/route-handlers.server.ts, ADR 036). What the browser gets must be what the handler with
// every route gave: the page, the routes its manifest names (its own and those of the addresses
// above it), data requests of client-side navigation, the route manifest asked for later, an
// action, and the pages for addresses no route or no record matches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressesAbove } from "~/lib/route-handlers.server";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let cookie: string;
let initiativeId: number;

beforeAll(async () => {
  server = await startServer();
  const sqlite = openServerDatabase(server.databasePath);
  const [member] = insertMembers(sqlite, 1, "handlers");
  cookie = member.cookie;
  initiativeId = insertCourseSession(sqlite, member.id, 10).initiativeId;
  sqlite.close();
});

afterAll(async () => {
  await server?.stop();
});

/** The route ids of the manifest a page gives the browser, and its version. */
function manifestOf(html: string): { routes: string[]; version: string } {
  const json = /window\.__remixManifest = (\{[\s\S]*?\});\n/.exec(html);
  expect(json, "the page carries its route manifest").not.toBeNull();
  const manifest = JSON.parse(json![1]) as { routes: Record<string, unknown>; version: string };
  return { routes: Object.keys(manifest.routes).sort(), version: manifest.version };
}

describe("the addresses whose routes a page's manifest names", () => {
  it("are its own, the root and each one above it", () => {
    expect(addressesAbove("/")).toEqual(["/", "/"]);
    expect(addressesAbove("/agenda")).toEqual(["/agenda", "/"]);
    expect(addressesAbove("/initiatives/5/edit")).toEqual(["/initiatives/5/edit", "/", "/initiatives/5", "/initiatives"]);
  });
});

describe("pages answered by the handler made for their routes", () => {
  it("name their own routes and those of the addresses above, as Remix does", async () => {
    const cases: [string, number, string[]][] = [
      ["/", 200, ["root", "routes/_index"]],
      ["/how-it-works", 200, ["root", "routes/_index", "routes/how-it-works"]],
      [`/initiatives/${initiativeId}`, 200, ["root", "routes/_index", "routes/initiatives.$id"]],
      [`/initiatives/${initiativeId}/sessions`, 200, ["root", "routes/_index", "routes/initiatives.$id", "routes/initiatives.$id_.sessions"]],
      ["/methods/new", 200, ["root", "routes/_index", "routes/methods._index", "routes/methods.new"]],
      // No record: the route's own 404; no route at all: the root's.
      ["/initiatives/999999", 404, ["root", "routes/_index", "routes/initiatives.$id"]],
      ["/no/such/page", 404, ["root", "routes/_index"]],
    ];
    for (const [address, status, routes] of cases) {
      const response = await fetch(`${server.url}${address}`, { headers: { cookie } });
      expect(response.status, address).toBe(status);
      const html = await response.text();
      expect(manifestOf(html).routes, address).toEqual(routes.sort());
    }
  });

  it("answer data requests and the route manifest the browser asks for later with every route", async () => {
    const page = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
    const { version } = manifestOf(page);
    const data = await fetch(`${server.url}/initiatives/${initiativeId}.data`, { headers: { cookie } });
    expect(data.status).toBe(200);
    expect(await data.text()).toContain("Race");
    const later = await fetch(`${server.url}/__manifest?p=${encodeURIComponent("/agenda")}&p=${encodeURIComponent("/members/x")}&version=${version}`);
    expect(later.status).toBe(200);
    expect(Object.keys((await later.json()) as object)).toEqual(expect.arrayContaining(["routes/agenda", "routes/members.$id"]));
  });

  it("run a form's action without JavaScript and show the page it leads to", async () => {
    const response = await fetch(`${server.url}/language`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: server.url },
      body: new URLSearchParams({ locale: "en", redirectTo: "/how-it-works" }),
      redirect: "manual",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/how-it-works");
    const page = await (await fetch(`${server.url}/how-it-works`, { headers: { cookie } })).text();
    expect(page).toContain('<html lang="en"');
  });
});
