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
let people: { id: string; cookie: string }[] = [];
const initiativeIds: number[] = [];

beforeAll(async () => {
  // A first start makes the database; the network is written into it, and the server that the
  // tests ask is started on it afterwards. A running server counts the network when it starts and
  // then shows that count for a minute after a change (app/models/network.server.ts), so the
  // network written under a running server could show as it was before.
  const migrating = await startServer({ DATABASE_PATH: databasePath });
  await migrating.stop();
  const sqlite = openServerDatabase(databasePath);
  people = insertMembers(sqlite, organisationCount, "org");
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
      initiativeIds.push(id);
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

const page = async (path: string, cookie?: string) => {
  const response = await fetch(server.url + path, { headers: cookie ? { Cookie: cookie } : {} });
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

describe("/organisations", () => {
  it("lists every organisation with the initiatives it took part in, from the network's kept count", async () => {
    const { status, html } = await page("/organisations");
    expect(status).toBe(200);
    // Organisation i hosts initiative i and said "I'm in" to the four before it: five each.
    const rows = [...html.matchAll(/>(Organisatie \d\d)<\/a><\/th><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td>/g)].map((m) => m.slice(1).join(" "));
    expect(rows).toHaveLength(organisationCount);
    for (const row of rows) expect(row).toMatch(/^Organisatie \d\d 1 5 0$/);
  });

  it("an organisation's page lists the initiatives it took part in, newest first, and leaves a hidden one out at once", async () => {
    const titles = async () => {
      const { status, html } = await page("/organisations/organisatie-00");
      expect(status).toBe(200);
      return [...html.matchAll(/>(Samenwerking \d+)</g)].map((m) => m[1]);
    };
    // Organisation 00 hosts initiative 0 and said "I'm in" to 56 to 59.
    expect(await titles()).toEqual(["Samenwerking 59", "Samenwerking 58", "Samenwerking 57", "Samenwerking 56", "Samenwerking 0"]);
    const sqlite = openServerDatabase(databasePath);
    try {
      sqlite.prepare("UPDATE initiatives SET hidden_at = ? WHERE id = ?").run(Date.now(), initiativeIds[58]);
      expect(await titles()).toEqual(["Samenwerking 59", "Samenwerking 57", "Samenwerking 56", "Samenwerking 0"]);
    } finally {
      sqlite.prepare("UPDATE initiatives SET hidden_at = NULL WHERE id = ?").run(initiativeIds[58]);
      sqlite.close();
    }
  });
});

// An initiative's and a member's page show their part of the map as an image of its own: the page
// carries its address (with the picture's version) and the list of names; the picture is an SVG
// file that the browser may keep for good under that address.
describe("the parts of the map on initiative and member pages", () => {
  /** The page, once the network's first count (started at start, in the background) is in. */
  async function pageWithPicture(path: string, cookie?: string) {
    for (let tries = 0; ; tries++) {
      const { status, html } = await page(path, cookie);
      expect(status).toBe(200);
      const src = /<img src="([^"]+works-with\.svg\?v=[^"]+)"/.exec(html)?.[1];
      if (src) return { html, src: src.replaceAll("&amp;", "&") };
      expect(tries, "the page never showed its part of the map").toBeLessThan(50);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const count = (svg: string, element: string) => svg.match(new RegExp(`<${element}[ >]`, "g"))?.length ?? 0;

  it("an initiative's page links the picture of the organisations taking part, drawn once and kept by the browser", async () => {
    const id = initiativeIds[0];
    const { html, src } = await pageWithPicture(`/initiatives/${id}`);
    expect(src).toMatch(new RegExp(`^/initiatives/${id}/works-with\\.svg\\?v=[\\w-]{16}$`));
    // The map is no longer drawn in the page, and its layout is not sent along for React.
    expect(html).not.toContain("network-map");
    expect(html).not.toContain("x1");
    const section = html.slice(html.indexOf('class="works-with"'));
    expect(section).toContain('alt="Kaart van 5 organisaties met 10 lijnen tussen hen');
    expect(section.slice(0, section.indexOf("</ul>")).match(/<li>/g)?.length).toBe(5);

    const answer = await fetch(server.url + src);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(answer.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const svg = await answer.text();
    expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Organisations 0 to 4 all took part, so every pair of them has its line.
    expect(count(svg, "circle")).toBe(5);
    expect(count(svg, "line")).toBe(10);
    for (let k = 0; k < 5; k++) expect(svg).toContain(`>Organisatie 0${k}<`);
    // No links and no script in a picture.
    expect(svg).not.toMatch(/<a[ >]|<script|href=/);

    // Asked again with the version it has, the browser hears "not modified"; at an older address
    // (or none) it gets the current picture, to be asked for again next time.
    const etag = answer.headers.get("etag")!;
    const again = await fetch(server.url + src, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    for (const older of [`/initiatives/${id}/works-with.svg`, `/initiatives/${id}/works-with.svg?v=old`, `/initiatives/${id}/works-with.svg?v=${"x".repeat(5000)}&v=a&w=1`]) {
      const stale = await fetch(server.url + older);
      expect(stale.status, older).toBe(200);
      expect(stale.headers.get("cache-control"), older).toBe("private, no-cache");
      expect(await stale.text(), older).toBe(svg);
    }
  });

  it("a member's page links the picture of their organisation with its strongest partners, for visitors and members alike", async () => {
    const member = people[0];
    for (const cookie of [undefined, people[1].cookie]) {
      const { html, src } = await pageWithPicture(`/members/${member.id}`, cookie);
      expect(src.startsWith(`/members/${member.id}/works-with.svg?v=`)).toBe(true);
      expect(html).not.toContain("network-map");
      const svg = await (await fetch(server.url + src, { headers: cookie ? { Cookie: cookie } : {} })).text();
      // Organisation 00 and its eight partners (56 to 59 and 01 to 04): 26 pairs of them are four or fewer apart.
      expect(count(svg, "circle")).toBe(9);
      expect(count(svg, "line")).toBe(26);
    }
  });

  it("takes its worst input from a fresh account and a held member as from anyone: the picture or a 404, never a 5xx, nothing written", async () => {
    const sqlite = openServerDatabase(databasePath);
    try {
      const [fresh, held] = insertMembers(sqlite, 2, "picture");
      sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(Date.now(), held.id);
      const writes = () => JSON.stringify(["members", "auth_sessions", "log_entries", "outbox", "initiatives"].map((t) => sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get()));
      const before = writes();
      const id = initiativeIds[0];
      const worst = [
        `/initiatives/${id}/works-with.svg?v=${"x".repeat(5000)}`,
        `/initiatives/${id}/works-with.svg?${Array.from({ length: 500 }, (_, i) => `v=${i}`).join("&")}`,
        `/initiatives/${"9".repeat(40)}/works-with.svg`,
        "/initiatives/0/works-with.svg",
        "/initiatives/-1/works-with.svg",
        `/members/${people[0].id}/works-with.svg?v=%00%ff`,
        `/members/${"%3Cx%3E".repeat(500)}/works-with.svg`,
        `/members/${fresh.id}/works-with.svg`,
        `/members/${held.id}/works-with.svg`,
      ];
      for (const member of [fresh, held]) {
        const answers = await Promise.all(worst.map((path) => fetch(server.url + path, { headers: { Cookie: member.cookie } })));
        answers.forEach((answer, i) => expect([200, 404], worst[i]).toContain(answer.status));
        expect(answers.slice(0, 2).map((a) => a.status)).toEqual([200, 200]);
        expect(answers[5].status).toBe(200);
        // Members of no organisation with partners have no picture.
        expect(answers.slice(7).map((a) => a.status)).toEqual([404, 404]);
        await Promise.all(answers.map((a) => a.arrayBuffer()));
      }
      expect(writes()).toBe(before);
    } finally {
      sqlite.close();
    }
  });

  it("is there only where the page shows it: not for a hidden initiative, a profile for members only, or what does not exist", async () => {
    const sqlite = openServerDatabase(databasePath);
    try {
      const hidden = initiativeIds[5];
      const secret = people[7];
      sqlite.prepare("UPDATE initiatives SET hidden_at = ? WHERE id = ?").run(Date.now(), hidden);
      sqlite.prepare("UPDATE members SET profile_visibility = 'members' WHERE id = ?").run(secret.id);
      const refused = [`/initiatives/${hidden}/works-with.svg`, `/members/${secret.id}/works-with.svg`, "/initiatives/999999999/works-with.svg", "/initiatives/abc/works-with.svg", `/initiatives/${"9".repeat(40)}/works-with.svg`, "/members/nobody/works-with.svg", `/members/${"%3Cx%3E".repeat(500)}/works-with.svg`];
      for (const path of refused) {
        const answer = await fetch(server.url + path);
        expect(answer.status, path).toBe(404);
        expect(answer.headers.get("content-type") ?? "", path).not.toContain("svg");
      }
      // A member may see the profile for members only, and so its picture.
      const { src } = await pageWithPicture(`/members/${secret.id}`, people[1].cookie);
      expect((await fetch(server.url + src, { headers: { Cookie: people[1].cookie } })).status).toBe(200);
    } finally {
      sqlite.prepare("UPDATE initiatives SET hidden_at = NULL WHERE id = ?").run(initiativeIds[5]);
      sqlite.prepare("UPDATE members SET profile_visibility = 'public' WHERE id = ?").run(people[7].id);
      sqlite.close();
    }
  });
});
