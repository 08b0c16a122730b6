// Data many viewers share is kept for the next viewer of the same kind (app/lib/shared-data.server.ts):
// the feed, the agenda's list, the people on an initiative's tags.
// In this process: kept only while the database is unchanged and for ten seconds, bounded, frozen.
// Through the real server: members see every change at once, whoever writes; what a visitor may
// not see never reaches a member's kept data or the other way round; languages are kept apart.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { sharedData } from "~/lib/shared-data.server";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

describe("shared data in one process", () => {
  beforeAll(() => {
    db().run(sql`CREATE TABLE IF NOT EXISTS shared_probe (n INTEGER)`);
  });

  function counted() {
    let reads = 0;
    return { read: () => ({ n: ++reads, list: [{ reads }] }), reads: () => reads };
  }

  it("is read once while nothing changes, and again after any write", () => {
    const probe = counted();
    const now = Date.now();
    expect(sharedData(["a"], probe.read, now).n).toBe(1);
    expect(sharedData(["a"], probe.read, now + 100).n).toBe(1);
    db().run(sql`INSERT INTO shared_probe VALUES (1)`);
    expect(sharedData(["a"], probe.read, now + 200).n).toBe(2);
    expect(probe.reads()).toBe(2);
  });

  it("keeps nothing read inside a transaction: a rollback leaves SQLite's count of changes where it was", () => {
    const now = Date.now();
    const count = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM shared_probe`).n;
    const before = count();
    expect(() =>
      db().$client.transaction(() => {
        db().run(sql`INSERT INTO shared_probe VALUES (2)`);
        expect(sharedData(["inside"], count, now)).toBe(before + 1);
        throw new Error("rolled back");
      })(),
    ).toThrow("rolled back");
    expect(sharedData(["inside"], count, now + 1)).toBe(before);
  });

  it("is read again once ten seconds have passed, and keeps keys apart", () => {
    const probe = counted();
    const other = counted();
    const now = Date.now();
    sharedData(["b"], probe.read, now);
    sharedData(["c"], other.read, now);
    expect(sharedData(["b"], probe.read, now + 9_999).n).toBe(1);
    expect(sharedData(["b"], probe.read, now + 10_000).n).toBe(2);
    expect(sharedData(["c"], other.read, now + 1).n).toBe(1);
    // Parts that would read the same once joined (a search may hold any character) stay apart.
    expect(sharedData(["e", "a\nb"], () => "first", now)).toBe("first");
    expect(sharedData(["e\na", "b"], () => "second", now)).toBe("second");
  });

  it("is frozen to its depth, so no page can change what the next one gets", () => {
    const value = sharedData(["d"], () => ({ items: [{ title: "Wandelgroep", hosts: [{ name: "Fatima" }] }] }));
    expect(() => {
      (value.items[0].hosts as { name: string }[]).push({ name: "ander" });
    }).toThrow(TypeError);
    expect(() => {
      (value.items[0] as { title: string }).title = "anders";
    }).toThrow(TypeError);
    expect(sharedData(["d"], () => ({ items: [{ title: "nieuw" }] })).items[0].title).toBe("Wandelgroep");
  });

  it("keeps at most a hundred keys: a flood of different searches pushes out the oldest", () => {
    const now = Date.now();
    const first = counted();
    sharedData(["flood-0"], first.read, now);
    for (let i = 1; i <= 150; i++) sharedData([`flood-${i}`], () => ({ i }), now);
    expect(sharedData(["flood-150"], () => ({ i: -1 }), now).i).toBe(150);
    expect(sharedData(["flood-0"], first.read, now).n).toBe(2);
  });
});

describe("the feed kept for members, through the server", () => {
  let server: RunningServer;
  let sqlite: ReturnType<typeof openServerDatabase>;
  let reader: { id: string; cookie: string };
  let writer: { id: string; cookie: string };
  // A cookie that names no session: a visitor who is not given a kept page, so the page is made
  // from the kept data.
  const visitorCookie = "meedoen_session=0000000000000000000000000000000000000000";

  beforeAll(async () => {
    server = await startServer();
    sqlite = openServerDatabase(server.databasePath);
    [reader, writer] = insertMembers(sqlite, 2, "shared");
    // A host whose profile is for members only: visitors see a stand-in.
    sqlite.prepare("UPDATE members SET display_name = 'Samira Verborgen', profile_visibility = 'members' WHERE id = ?").run(writer.id);
    const now = Date.now();
    const { id } = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Buurtmoestuin', 'Samen tuinieren.', 'activity', ?, ?, ?) RETURNING id").get(writer.id, now, now) as { id: number };
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(id, writer.id, now, now);
  });

  afterAll(async () => {
    sqlite?.close();
    await server?.stop();
  });

  async function feed(cookie: string, path = "/", language = "nl") {
    const response = await fetch(server.url + path, { headers: { cookie, "accept-language": language } });
    expect(response.status).toBe(200);
    return response.text();
  }
  // The cards' "hosted by" lines.
  const hostLines = (html: string) => [...html.matchAll(/<p class="card-hosts">(.*?)<\/p>/g)].map((m) => m[1]).join("\n");

  it("shows a member a change made through the server by someone else at once", async () => {
    expect(await feed(reader.cookie)).toContain("Buurtmoestuin");
    const response = await fetch(`${server.url}/initiatives/new`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: writer.cookie },
      body: new URLSearchParams({ title: "Repaircafé op zaterdag", summary: "Samen repareren.", kind: "activity" }).toString(),
    });
    expect(response.status).toBe(303);
    expect(await feed(reader.cookie)).toContain("Repaircafé op zaterdag");
  });

  it("shows a member a change written by another program to the database file at once", async () => {
    await feed(reader.cookie);
    const now = Date.now();
    sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Taalcafé gezocht', 'Een uur per week.', 'request', ?, ?, ?)").run(writer.id, now, now);
    expect(await feed(reader.cookie)).toContain("Taalcafé gezocht");
    // A search is kept apart from the whole feed, and is current too.
    expect(await feed(reader.cookie, "/?q=taalcaf")).toContain("Taalcafé gezocht");
    sqlite.prepare("UPDATE initiatives SET title = 'Taalcafé op maandag' WHERE title = 'Taalcafé gezocht'").run();
    const searched = await feed(reader.cookie, "/?q=taalcaf");
    expect(searched).toContain("Taalcafé op maandag");
    expect(searched).not.toContain("Taalcafé gezocht");
  });

  it("never gives a visitor a name only members may read, nor a member the visitor's stand-in", async () => {
    for (let round = 0; round < 2; round++) {
      const asMember = await feed(reader.cookie);
      expect(hostLines(asMember)).toContain("Samira Verborgen");
      const asVisitor = await feed(visitorCookie);
      expect(asVisitor).not.toContain("Samira Verborgen");
      expect(hostLines(asVisitor)).toContain("een deelnemer");
      expect(asVisitor).toContain('href="/login?');
      expect(asMember).toContain('action="/logout"');
    }
  });

  it("shows a member a session added to the agenda at once, and the agenda's next page apart from its first", async () => {
    expect(await feed(reader.cookie, "/agenda")).not.toContain("Zaaiavond in de moestuin");
    const now = Date.now();
    const initiative = sqlite.prepare("SELECT id FROM initiatives WHERE title = 'Buurtmoestuin'").pluck().get() as number;
    sqlite.prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, updated_at) VALUES (?, ?, ?, 'De tuin', 'ACDEFH', ?)").run(initiative, now + 86_400_000, now + 90_000_000, now);
    sqlite.prepare("UPDATE initiatives SET title = 'Zaaiavond in de moestuin' WHERE id = ?").run(initiative);
    expect(await feed(reader.cookie, "/agenda")).toContain("Zaaiavond in de moestuin");
    expect(await feed(visitorCookie, "/agenda")).toContain("Zaaiavond in de moestuin");
    const later = await feed(reader.cookie, `/agenda?after=${now + 86_400_000}-999999`);
    expect(later).not.toContain("Zaaiavond in de moestuin");
    sqlite.prepare("UPDATE initiatives SET title = 'Buurtmoestuin' WHERE id = ?").run(initiative);
  });

  it("shows people on the same tags as the viewer may see them: a members-only name to members, never to visitors", async () => {
    const [grower] = insertMembers(sqlite, 1, "grower");
    sqlite.prepare("UPDATE members SET display_name = 'Joost Kweker', profile_visibility = 'members' WHERE id = ?").run(grower.id);
    sqlite.prepare("INSERT INTO member_tags (member_id, tag) VALUES (?, 'moestuin')").run(grower.id);
    const initiative = sqlite.prepare("SELECT id FROM initiatives WHERE title = 'Buurtmoestuin'").pluck().get() as number;
    sqlite.prepare("UPDATE initiatives SET tags = 'moestuin' WHERE id = ?").run(initiative);
    sqlite.prepare("INSERT INTO initiative_tags (initiative_id, tag) VALUES (?, 'moestuin')").run(initiative);
    for (let round = 0; round < 2; round++) {
      expect(await feed(reader.cookie, `/initiatives/${initiative}`)).toContain("Joost Kweker");
      expect(await feed(visitorCookie, `/initiatives/${initiative}`)).not.toContain("Joost Kweker");
    }
    // Their profile made public: visitors see the name at once.
    sqlite.prepare("UPDATE members SET profile_visibility = 'public' WHERE id = ?").run(grower.id);
    expect(await feed(visitorCookie, `/initiatives/${initiative}`)).toContain("Joost Kweker");
  });

  it("reads an initiative's sessions once for everyone, and shows each member only their own sign-up and place in line", async () => {
    const [first, second, third] = insertMembers(sqlite, 3, "line");
    const now = Date.now();
    const { id: initiative } = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Wandelen op woensdag', 'Een uur.', 'activity', ?, ?, ?) RETURNING id").get(writer.id, now, now) as { id: number };
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, writer.id, now, now);
    const { id: session } = sqlite.prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, capacity, checkin_code, updated_at) VALUES (?, ?, ?, 'Het park', 1, 'ACDEFJ', ?) RETURNING id").get(initiative, now + 86_400_000, now + 90_000_000, now) as { id: number };
    const signUp = async (member: { cookie: string }) => {
      const response = await fetch(`${server.url}/sessions/${session}/register`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: member.cookie },
        body: new URLSearchParams({ redirectTo: `/initiatives/${initiative}` }).toString(),
      });
      expect(response.status).toBe(303);
    };
    const page = (member: { cookie: string }) => feed(member.cookie, `/initiatives/${initiative}`);
    const registered = "Je bent ingeschreven.";
    const inLine = (n: number) => `Je staat op de wachtlijst: plaats ${n}.`;

    expect(await page(first)).not.toContain(registered);
    await signUp(first);
    await signUp(second);
    await signUp(third);
    // In turn, twice: whoever asked first, each page holds its viewer's own state only.
    for (let round = 0; round < 2; round++) {
      const [a, b, c, d] = [await page(first), await page(second), await page(third), await page(reader)];
      expect(a).toContain(registered);
      expect(a).not.toContain("wachtlijst: plaats");
      expect(b).toContain(inLine(1));
      expect(b).not.toContain(registered);
      expect(c).toContain(inLine(2));
      expect(d).not.toContain(registered);
      expect(d).not.toContain("wachtlijst: plaats");
      for (const html of [a, b, c, d]) expect(html).toContain("1 van 1 plaats bezet");
    }
    // The first withdraws by another program: the count and every line move at once.
    sqlite.prepare("DELETE FROM registrations WHERE session_id = ? AND member_id = ?").run(session, first.id);
    expect(await page(first)).not.toContain(registered);
    expect(await page(third)).toContain(inLine(2));
    expect(await page(reader)).toContain("0 van 1 plaats bezet");
  });

  it("keeps the stand-in names of each language apart", async () => {
    const english = hostLines(await feed(visitorCookie, "/", "en"));
    expect(english).toContain("a member");
    expect(english).not.toContain("een deelnemer");
    const dutch = hostLines(await feed(visitorCookie, "/", "nl"));
    expect(dutch).toContain("een deelnemer");
    expect(dutch).not.toContain("a member");
  });
});
