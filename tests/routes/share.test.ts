// Shared links: initiative, session and member pages carry Open Graph and Twitter card tags with
// absolute addresses, and the picture they name is a generated 1200 × 630 card. Hidden content and
// members-only profiles get neither. Through the real server, as a chat app would fetch them.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
let initiativeId: number, sessionId: number, hiddenId: number;
let publicMember: string, privateMember: string;

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  const [host, secret] = insertMembers(sqlite, 2, "share");
  publicMember = host.id;
  privateMember = secret.id;
  sqlite.prepare("UPDATE members SET display_name = 'Anouk de Wit', work = 'Opbouwwerker', organisation = 'Welzijn Zuid' WHERE id = ?").run(host.id);
  sqlite.prepare("UPDATE members SET profile_visibility = 'members' WHERE id = ?").run(secret.id);
  ({ initiativeId, sessionId } = insertCourseSession(sqlite, host.id, 12));
  sqlite.prepare(`UPDATE initiatives SET title = 'Koken & eten <samen> "in de buurt"', summary = 'Elke week samen koken met buren.' WHERE id = ?`).run(initiativeId);
  hiddenId = insertCourseSession(sqlite, host.id, null).initiativeId;
  sqlite.prepare("UPDATE initiatives SET title = 'Verborgen titel', hidden_at = ? WHERE id = ?").run(Date.now(), hiddenId);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

/** The page's meta tags as property/name → content. */
async function tags(path: string) {
  const html = await (await fetch(server.url + path)).text();
  const found: Record<string, string> = {};
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"\/?>/g)) found[m[1]] = m[2].replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  return found;
}

async function card(url: string) {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  expect(response.headers.get("content-type")).toBe("image/png");
  const png = Buffer.from(await response.arrayBuffer());
  const meta = await sharp(png).metadata();
  return { response, meta };
}

describe("links shared in a chat app", () => {
  it("show an initiative's title, summary and a generated card", async () => {
    const t = await tags(`/initiatives/${initiativeId}`);
    expect(t["og:title"]).toBe('Koken & eten <samen> "in de buurt"');
    expect(t["og:description"]).toBe("Elke week samen koken met buren.");
    expect(t["og:url"]).toBe(`${server.url}/initiatives/${initiativeId}`);
    expect(t["og:image"]).toBe(`${server.url}/initiatives/${initiativeId}/preview.png`);
    expect(t["twitter:card"]).toBe("summary_large_image");
    expect(t["twitter:image"]).toBe(t["og:image"]);
    const { response, meta } = await card(t["og:image"]);
    expect([meta.width, meta.height]).toEqual([1200, 630]);
    const again = await fetch(t["og:image"], { headers: { "If-None-Match": response.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("show an initiative's cover photo instead of a card when it has one", async () => {
    const { initiativeId: withCover } = insertCourseSession(sqlite, publicMember, 10);
    const id = "a".repeat(64);
    sqlite.prepare("INSERT INTO images (id, width, height, created_at) VALUES (?, 1200, 800, ?)").run(id, Date.now());
    sqlite.prepare("UPDATE initiatives SET cover_image = ?, cover_alt = 'Buren aan een lange tafel' WHERE id = ?").run(id, withCover);
    const t = await tags(`/initiatives/${withCover}`);
    expect(t["og:image"]).toBe(`${server.url}/images/${id}-1200.webp`);
    expect([t["og:image:width"], t["og:image:height"]]).toEqual(["1200", "800"]);
    expect(t["og:image:alt"]).toBe("Buren aan een lange tafel");
  });

  it("show a session with its initiative's title and a card of its own", async () => {
    const t = await tags(`/sessions/${sessionId}`);
    expect(t["og:title"]).toBe('Koken & eten <samen> "in de buurt"');
    expect(t["og:image"]).toBe(`${server.url}/sessions/${sessionId}/preview.png`);
    const { meta } = await card(t["og:image"]);
    expect(meta.format).toBe("png");
  });

  it("show a public profile, but nothing of a members-only one", async () => {
    const t = await tags(`/members/${publicMember}`);
    expect(t["og:title"]).toBe("Anouk de Wit");
    expect(t["og:description"]).toBe("Opbouwwerker · Welzijn Zuid");
    await card(t["og:image"]);
    expect((await tags(`/members/${privateMember}`))["og:title"]).toBeUndefined();
    expect((await fetch(`${server.url}/members/${privateMember}/preview.png`)).status).toBe(404);
  });

  it("show nothing of a hidden initiative", async () => {
    const t = await tags(`/initiatives/${hiddenId}`);
    expect(t["og:title"]).toBeUndefined();
    expect(JSON.stringify(t)).not.toContain("Verborgen titel");
    expect((await fetch(`${server.url}/initiatives/${hiddenId}/preview.png`)).status).toBe(404);
    expect((await fetch(`${server.url}/initiatives/999999/preview.png`)).status).toBe(404);
  });
});
