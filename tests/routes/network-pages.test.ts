// /network stays small however large the network grows: the map shows the strongest
// organisations and lines, the tables their heads, and "all" lives on pages of its own that
// are shown a page at a time. Through the real server, against a network of 60 organisations.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

const databasePath = path.join(os.tmpdir(), `meedoen-network-pages-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer;
const organisationCount = 60;

beforeAll(async () => {
  // A first start makes the database; the network is written into it, and the server that the
  // tests ask is started on it afterwards. A running server counts the network when it starts and
  // then shows that count for a minute after a change (app/models/network.server.ts), so the
  // network written under a running server could show as it was before.
  const migrating = await startServer({ DATABASE_PATH: databasePath });
  await migrating.stop();
  const sqlite = openServerDatabase(databasePath);
  const people = insertMembers(sqlite, organisationCount, "org");
  const setOrganisation = sqlite.prepare("UPDATE members SET organisation = ? WHERE id = ?");
  people.forEach((p, i) => setOrganisation.run(`Organisatie ${String(i).padStart(2, "0")}`, p.id));
  const now = Date.now();
  const addInitiative = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, updated_at, created_by) VALUES (?, 'Samen', 'activity', ?, ?) RETURNING id");
  const addHost = sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)");
  const addInterest = sqlite.prepare("INSERT INTO interests (initiative_id, member_id) VALUES (?, ?)");
  // Initiative i: hosted by organisation i, with organisations i+1 … i+4 saying "I'm in": every
  // organisation is connected to eight others, 240 connections in all.
  sqlite.transaction(() => {
    for (let i = 0; i < organisationCount; i++) {
      const { id } = addInitiative.get(`Samenwerking ${i}`, now, people[i].id) as { id: number };
      addHost.run(id, people[i].id, now, now);
      for (let k = 1; k <= 4; k++) addInterest.run(id, people[(i + k) % organisationCount].id);
    }
  })();
  sqlite.close();
  server = await startServer({ DATABASE_PATH: databasePath });
});

afterAll(async () => {
  await server?.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  rmSync(`${databasePath}.data`, { recursive: true, force: true });
});

const page = async (path: string) => {
  const response = await fetch(server.url + path);
  return { status: response.status, html: await response.text() };
};

describe("/network", () => {
  it("shows the heads of the tables and the strongest part of the map, with links to all", async () => {
    const { status, html } = await page("/network");
    expect(status).toBe(200);
    const connectionsTable = html.slice(html.indexOf('id="connections-title"'), html.indexOf('id="activity-title"'));
    expect(connectionsTable.match(/<tr>/g)?.length).toBe(25 + 1);
    expect(connectionsTable).toContain('href="/network/connections"');
    expect(connectionsTable).toContain("Alle 240 verbanden");
    const map = html.slice(html.indexOf('class="network-map"'), html.indexOf("</svg>"));
    expect(map.match(/class="link"/g)?.length).toBe(120);
    expect(html).toContain("Van de");
    const organisationsPart = html.slice(html.indexOf('id="organisations-title"'));
    expect(organisationsPart).toContain('href="/network/organisations"');
    expect(organisationsPart).toContain("Alle 60 organisaties");
  });
});

describe("/network/connections", () => {
  it("lists every connection a hundred at a time, heaviest first, with previous and next", async () => {
    const first = await page("/network/connections");
    expect(first.status).toBe(200);
    expect(first.html.match(/<tr>/g)?.length).toBe(100 + 1);
    expect(first.html).toContain("1–100 van 240");
    expect(first.html).toContain('href="/network/connections?page=2"');
    expect(first.html).not.toContain('rel="prev"');
    const last = await page("/network/connections?page=3");
    expect(last.html.match(/<tr>/g)?.length).toBe(40 + 1);
    expect(last.html).toContain("201–240 van 240");
    expect(last.html).toContain('href="/network/connections?page=2"');
    expect(last.html).not.toContain('rel="next"');
  });

  it("takes any page number without failing: nonsense is the first page, past the end the last", async () => {
    for (const asked of ["abc", "0", "-1", "1e3", "2.5", "9".repeat(40), "1&page=2"]) {
      const { status, html } = await page(`/network/connections?page=${encodeURIComponent(asked)}`);
      expect(status, asked).toBe(200);
      expect(html, asked).toContain("1–100 van 240");
    }
    const beyond = await page("/network/connections?page=999999");
    expect(beyond.html).toContain("201–240 van 240");
  });
});

describe("/network/organisations", () => {
  it("lists every organisation with its members, a hundred at a time", async () => {
    const { status, html } = await page("/network/organisations");
    expect(status).toBe(200);
    expect(html.match(/<tr>/g)?.length).toBe(60 + 1);
    expect(html).toContain("1–60 van 60");
    expect(html).not.toContain('class="pager"');
  });
});
