// Organisations and venues (issue 14) through the real server: who sees whose name on an
// organisation's page, a merged spelling's address, unknown addresses, and the worst inputs for
// every new form (as a visitor, a fresh account and a held member): a clear 4xx, never a 5xx,
// and nothing written. Closing a merge proposal from many requests at once merges once.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };
let founders: { id: string; cookie: string }[];
let venueId = 0;
let lindeId = 0;

const day = 86_400_000;
const count = (query: string, ...params: unknown[]) => sqlite.prepare(query).pluck().get(...params) as number;
const writes = () => JSON.stringify(["organisations", "venues", "proposals", "log_entries"].map((t) => count(`SELECT count(*) FROM ${t}`)).concat(count("SELECT count(*) FROM members WHERE organisation != ''")));

function post(path: string, body: string, cookie?: string) {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}
const get = (path: string, cookie?: string) => fetch(server.url + path, { redirect: "manual", headers: { "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) } });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A refusal: the status asked for, a page that says so, no stack trace, and nothing written. */
async function refused(answer: Promise<Response>, status: number | number[], text?: string) {
  const before = writes();
  const res = await answer;
  expect([status].flat(), `${res.status}`).toContain(res.status);
  const html = await res.text();
  expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  if (text) expect(html).toContain(text);
  expect(writes()).toBe(before);
  return html;
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  const people = insertMembers(sqlite, 8, "org");
  [fresh, held] = people;
  founders = people.slice(2, 5);
  const old = Date.now() - 30 * day;
  for (const f of founders) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ?, organisation = '', organisation_id = NULL WHERE id = ?").run(old, old, f.id);
  sqlite.prepare("UPDATE members SET created_at = ?, posting_held_at = ?, posting_held_rule = '7. Respect en privacy.', organisation = '' WHERE id = ?").run(old, Date.now(), held.id);
  sqlite.prepare("UPDATE members SET organisation = '' WHERE id = ?").run(fresh.id);
  // Buurthuis De Linde: one public profile, one that shows visitors only the organisation, one for members only.
  lindeId = sqlite.prepare("INSERT INTO organisations (slug, name, name_key, created_at) VALUES ('buurthuis-de-linde', 'Buurthuis De Linde', 'buurthuis de linde', 0) RETURNING id").pluck().get() as number;
  sqlite.prepare("INSERT INTO organisations (slug, name, name_key, merged_into, created_at) VALUES ('buurthuis-linde', 'Buurthuis Linde', 'buurthuis linde', ?, 0)").run(lindeId);
  const [pub, orgOnly, membersOnly] = people.slice(5);
  const setPerson = sqlite.prepare("UPDATE members SET display_name = ?, organisation = 'Buurthuis De Linde', organisation_id = ?, profile_visibility = ? WHERE id = ?");
  setPerson.run("Petra Publiek", lindeId, "public", pub.id);
  setPerson.run("Otto Organisatie", lindeId, "organisation", orgOnly.id);
  setPerson.run("Mila Leden", lindeId, "members", membersOnly.id);
  venueId = sqlite
    .prepare("INSERT INTO venues (organisation_id, name, address, step_free, created_by, created_at, updated_at) VALUES (?, 'Grote zaal', 'Lindelaan 1, Lindenveen', 1, ?, 0, 0) RETURNING id")
    .pluck()
    .get(lindeId, pub.id) as number;
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("an organisation's page", () => {
  it("shows visitors public names only, counts those who show just their organisation, and never members-only profiles", async () => {
    const visitor = await (await get("/organisations/buurthuis-de-linde")).text();
    expect(visitor).toContain("Petra Publiek");
    expect(visitor).not.toContain("Otto Organisatie");
    expect(visitor).not.toContain("Mila Leden");
    expect(visitor).toContain("1 deelnemer die bezoekers alleen de organisatie laat zien");
    expect(visitor).toContain(`/venues/${venueId}`);
    const member = await (await get("/organisations/buurthuis-de-linde", fresh.cookie)).text();
    for (const name of ["Petra Publiek", "Otto Organisatie", "Mila Leden"]) expect(member).toContain(name);
  });

  it("lists organisations with their people as the viewer may count them, and searches without JavaScript", async () => {
    const row = (html: string) => /buurthuis-de-linde">Buurthuis De Linde<\/a><\/th><td>(\d+)<\/td>/.exec(html)?.[1];
    expect(row(await (await get("/organisations")).text())).toBe("2");
    expect(row(await (await get("/organisations", fresh.cookie)).text())).toBe("3");
    expect(row(await (await get("/organisations?q=linde")).text())).toBe("2");
    const none = await (await get("/organisations?q=bibliotheek")).text();
    expect(none).not.toContain("Buurthuis De Linde");
    for (const q of ["<script>alert(1)</script>", "%", "'; DROP TABLE organisations; --", "x".repeat(5000), "🌳", "مؤسسة"]) {
      const res = await get(`/organisations?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain("<script>alert(1)");
    }
  });

  it("sends a merged spelling's address to the organisation it became (301), and unknown ones to 404", async () => {
    const moved = await get("/organisations/buurthuis-linde");
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe("/organisations/buurthuis-de-linde");
    for (const bad of ["bestaat-niet", "A".repeat(8000), "..%2F..%2Fetc", encodeURIComponent("<script>"), "-", "a--b"]) {
      await refused(get(`/organisations/${bad}`), [404, 414]);
    }
  });
});

describe("a venue's page", () => {
  it("is public, and unknown venues are 404", async () => {
    const html = await (await get(`/venues/${venueId}`)).text();
    expect(html).toContain("Grote zaal");
    expect(html).toContain("Drempelvrij");
    expect(html).toContain("/organisations/buurthuis-de-linde");
    for (const bad of ["999999", "abc", "1e3", "-1", "0"]) await refused(get(`/venues/${bad}`), 404);
  });

  it("asks visitors to log in for the forms", async () => {
    for (const path of ["/venues/new", `/venues/${venueId}/edit`]) {
      const res = await get(path);
      expect([302, 303]).toContain(res.status);
      expect(res.headers.get("Location")).toMatch(/^\/login/);
    }
    const posted = await post("/venues/new", form({ name: "Zaal" }));
    expect([302, 303, 401]).toContain(posted.status);
  });
});

describe("worst inputs", () => {
  const manyFields = Array.from({ length: 201 }, (_, i) => `f${i}=x`).join("&");

  it.each([
    ["a name one character too long", form({ name: "n".repeat(121) }), 400],
    ["an address one character too long", form({ name: "Zaal", address: "a".repeat(201) }), 400],
    ["notes one character too long", form({ name: "Zaal", accessNotes: "a".repeat(1001) }), 400],
    ["an organisation one character too long", form({ name: "Zaal", organisation: "o".repeat(121) }), 400],
    ["no name at all", "", 400],
    ["201 fields", manyFields, 413],
    ["a body of a megabyte", form({ name: "x".repeat(1_000_000) }), [400, 413]],
  ] as const)("POST /venues/new with %s is refused and nothing is written", async (_what, body, status) => {
    await refused(post("/venues/new", body, fresh.cookie), status as number | number[]);
  });

  it("every new page's worst address, as a fresh account and as a held member: a clear answer, never a 5xx, nothing written", async () => {
    const long = "ä".repeat(1_000);
    const pages: [string, number[]][] = [
      [`/organisations?q=${encodeURIComponent(long)}`, [200]],
      // An address longer than the server reads: refused before any page is made.
      [`/organisations?q=${encodeURIComponent(long.repeat(10))}`, [414, 431]],
      [`/organisations?q=${encodeURIComponent("%' OR 1=1 --\u0000<script>")}&q=2&q[]=3`, [200]],
      [`/organisations/${"a".repeat(3_000)}`, [404, 414]],
      [`/organisations/${encodeURIComponent("../venues/1")}`, [404]],
      [`/organisations/${encodeURIComponent("ggz-👩🏽‍🏫\u202E")}`, [404]],
      ["/venues/99999999999999999999", [404]],
      ["/venues/-1", [404]],
      ["/venues/1e3", [404]],
      [`/venues/${venueId}?${"x=1&".repeat(500)}`, [200]],
      [`/venues/new?organisation=${encodeURIComponent(long)}`, [200]],
      ["/venues/99999999999999999999/edit", [404]],
    ];
    for (const who of [fresh, held]) {
      for (const [path, statuses] of pages) {
        await refused(get(path, who.cookie), statuses);
      }
    }
    // Someone else's venue: a fresh account without a voice may not change it; the page says why.
    await refused(get(`/venues/${venueId}/edit`, fresh.cookie), 403);
    await refused(post(`/venues/${venueId}/edit`, form({ name: "n".repeat(121) }), fresh.cookie), [400, 403]);
    await refused(post(`/organisations/${"a".repeat(300)}`, form({ intent: "merge", into: "x" }), held.cookie), [403, 404]);
  });

  it("a held member cannot add or change a venue, and is told why", async () => {
    await refused(post("/venues/new", form({ name: "Mijn zaal" }), held.cookie), 403, "tegengehouden");
    await refused(post(`/venues/${venueId}/edit`, form({ name: "Overgenomen" }), held.cookie), 403);
    await refused(get(`/venues/${venueId}/edit`, held.cookie), 403, "tegengehouden");
  });

  it("a fresh account adds venues and organisations with any script, emoji or HTML in their names, shown as text", async () => {
    const names = ["مقهى النور", "Café 🌳 De Boom", "<b>Zaal</b><script>alert(1)</script>", "Зал «Дружба»"];
    for (const name of names) {
      const res = await post("/venues/new", form({ name, organisation: name, organisationConfirmed: name, organisationChoice: "new", address: "\u202EStraat 1" }), fresh.cookie);
      expect(res.status, name).toBe(303);
      const page = await (await get(res.headers.get("Location")!)).text();
      expect(page).not.toContain("<script>alert(1)");
      expect(page).not.toContain("\u202E");
    }
    const stored = sqlite.prepare("SELECT name FROM venues WHERE created_by = ? ORDER BY id").pluck().all(fresh.id);
    expect(stored).toEqual(names);
    // The emoji-only key of "Café 🌳 De Boom" is its words; the Arabic name keeps its letters in its address.
    const slug = sqlite.prepare("SELECT slug FROM organisations WHERE name = ?").pluck().get("مقهى النور") as string;
    expect((await get(`/organisations/${encodeURIComponent(slug)}`)).status).toBe(200);
    const list = await (await get("/organisations", fresh.cookie)).text();
    expect(list).toContain("&lt;b&gt;Zaal&lt;/b&gt;");
    // Four new organisations today; the fifth is the last one allowed, the sixth is refused.
    expect((await post("/venues/new", form({ name: "Vijfde", organisation: "Kringloop Vijf", organisationConfirmed: "Kringloop Vijf", organisationChoice: "new" }), fresh.cookie)).status).toBe(303);
    await refused(post("/venues/new", form({ name: "Zesde", organisation: "Zeilclub Zes", organisationConfirmed: "Zeilclub Zes", organisationChoice: "new" }), fresh.cookie), 429, "nieuwe organisaties");
  });

  it.each([
    ["an organisation one character too long", { organisation: "o".repeat(121) }, 400],
    ["a name without letters or digits", { organisation: "🌳🌳 ---" }, 400],
    ["201 fields", null, 413],
  ] as const)("POST /settings/profile with %s is refused and nothing is written", async (_what, fields, status) => {
    const body = fields ? form({ displayName: "Nieuw", profileVisibility: "public", ...fields }) : manyFields;
    await refused(post("/settings/profile", body, fresh.cookie), status);
  });

  it("the profile asks about a look-alike without saving, and a held member cannot add an organisation", async () => {
    const html = await refused(post("/settings/profile", form({ displayName: "Nieuw", profileVisibility: "public", organisation: "Buurthuis De Lind" }), fresh.cookie), 409);
    expect(html).toContain("Bedoel je een van deze");
    expect(html).toContain('name="organisationConfirmed" value="Buurthuis De Lind"');
    expect(html).toContain("Nee, voeg ‘Buurthuis De Lind’ toe als nieuwe organisatie");
    await refused(
      post("/settings/profile", form({ displayName: "Vastgehouden", profileVisibility: "public", organisation: "Iets Heel Nieuws", organisationConfirmed: "Iets Heel Nieuws", organisationChoice: "new" }), held.cookie),
      403,
      "tegengehouden",
    );
  });

  it.each([
    ["a name of 10,000 characters", form({ intent: "merge", into: "x".repeat(10_000) }), 400],
    ["an organisation that does not exist", form({ intent: "merge", into: "Niemand Hier" }), 400],
    ["no intent", form({ into: "Buurthuis Linde" }), 400],
    ["201 fields", manyFields, 413],
  ] as const)("POST /organisations/:slug with %s is refused and nothing is written", async (_what, body, status) => {
    await refused(post("/organisations/buurthuis-de-linde", body, founders[0].cookie), status);
  });

  it("a fresh account and a held member cannot open a merge proposal", async () => {
    const other = sqlite.prepare("SELECT name FROM organisations WHERE merged_into IS NULL AND id != ? ORDER BY id LIMIT 1").pluck().get(lindeId) as string;
    await refused(post("/organisations/buurthuis-de-linde", form({ intent: "merge", into: other }), fresh.cookie), 403, "stem");
    await refused(post("/organisations/buurthuis-de-linde", form({ intent: "merge", into: other }), held.cookie), 403);
    await refused(post("/organisations/buurthuis-de-linde", form({ intent: "merge", into: other })), [302, 303, 401]);
  });
});

describe("a merge proposal closed by many requests at once", () => {
  it("merges once", async () => {
    const into = sqlite.prepare("INSERT INTO organisations (slug, name, name_key, created_at) VALUES ('wijkhuis-de-linde', 'Wijkhuis De Linde', 'wijkhuis de linde', 0) RETURNING id").pluck().get() as number;
    const opened = await post("/organisations/buurthuis-de-linde", form({ intent: "merge", into: "Wijkhuis De Linde" }), founders[0].cookie);
    expect(opened.status).toBe(303);
    const path = opened.headers.get("Location")!;
    const id = Number(path.split("/").pop());
    expect(await (await get(path)).text()).toContain("Buurthuis De Linde samenvoegen met Wijkhuis De Linde");
    for (const f of founders) expect((await post(path, form({ intent: "respond", position: "consent" }), f.cookie)).status).toBe(303);
    // The deadline passes: the positions were taken a minute before it.
    sqlite.prepare("UPDATE proposal_positions SET updated_at = updated_at - 60000 WHERE proposal_id = ?").run(id);
    sqlite.prepare("UPDATE proposals SET deadline = ? WHERE id = ?").run(Date.now() - 1000, id);
    const pages = await Promise.all(Array.from({ length: 12 }, () => get(path)));
    expect(pages.map((p) => p.status)).toEqual(Array(12).fill(200));
    expect(count("SELECT count(*) FROM log_entries WHERE action = 'organisation.merged'")).toBe(1);
    expect(count("SELECT merged_into FROM organisations WHERE id = ?", lindeId)).toBe(into);
    expect(count("SELECT count(*) FROM members WHERE organisation_id = ?", into)).toBe(3);
    expect(count("SELECT count(*) FROM venues WHERE organisation_id = ?", into)).toBe(1);
    // Both old addresses lead to the one that stays.
    for (const old of ["buurthuis-de-linde", "buurthuis-linde"]) expect((await get(`/organisations/${old}`)).headers.get("Location")).toBe("/organisations/wijkhuis-de-linde");
  });
});
