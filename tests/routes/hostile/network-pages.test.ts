// /network/connections, /network/organisations and /welcome with their worst input through the
// real server, as a visitor, a fresh account and a held member: never a 5xx, no stack trace, a
// page number that is not one is the first page, and nothing is written.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };

const writes = () => JSON.stringify(["members", "outbox", "log_entries", "rate_limits"].map((t) => sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get()));

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [fresh, held] = insertMembers(sqlite, 2, "worst");
  sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'regel' WHERE id = ?").run(Date.now(), held.id);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

const worst = [
  "?page=" + "9".repeat(5000),
  "?page=-1",
  "?page=0x10",
  "?page=%00",
  "?page=%F0%9F%98%80",
  "?" + Array.from({ length: 150 }, (_, i) => `page=${i}`).join("&"),
  "?page[]=2",
  "?page=2&page=abc",
];

describe("the pages of all connections and organisations, and the start page, with their worst input", () => {
  for (const [who, cookie] of [["a visitor", () => ""], ["a fresh account", () => fresh.cookie], ["a held member", () => held.cookie]] as const) {
    it(`answers ${who} with a page, never a fault, and writes nothing`, async () => {
      const before = writes();
      for (const path of ["/network/connections", "/network/organisations", "/welcome"]) {
        for (const query of [...worst, path === "/welcome" ? "?redirectTo=" + encodeURIComponent("//evil.example/" + "x".repeat(3000)) : "?page=1"]) {
          const res = await fetch(server.url + path + query, { redirect: "manual", headers: cookie() ? { Cookie: cookie() } : {} });
          expect(res.status, `${who} ${path}${query.slice(0, 40)}`).toBeLessThan(500);
          const html = await res.text();
          expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
          // The address typed may be echoed in a hidden field (the language switch keeps the page),
          // but no link, form or redirect leads off the site.
          expect(html).not.toMatch(/(href|action)="(https?:)?\/\/evil\.example/);
          const location = res.headers.get("location");
          if (location) expect(location).toMatch(/^\/[^/\\]/);
          // A visitor is asked to log in for the start page; the others see it.
          if (path === "/welcome" && !cookie()) expect(res.status).toBe(302);
          else expect(res.status, `${who} ${path}`).toBe(200);
        }
      }
      expect(writes()).toBe(before);
    });
  }

  it("sends nothing back to a form post to these pages but a refusal", async () => {
    for (const path of ["/network/connections", "/network/organisations"]) {
      const res = await fetch(server.url + path, { method: "POST", redirect: "manual", headers: { Cookie: held.cookie, Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" }, body: "page=2" });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});
