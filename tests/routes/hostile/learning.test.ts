// The record of learning (issue 15) through the real server (build/index.js), with the worst
// inputs, as a visitor, a fresh account, a held member and members who attended: long and odd
// names, a 21st link and 25 links at once, withdrawing twice or someone else's link, forged
// codes, hostile PDF queries and learning hours like "-1", "25", "1e9" and "abc". Every refusal
// is a clear, translated 4xx without a stack trace, and writes nothing. The PDF comes back from
// the built server with its fonts, so that "Łukasz", "Zoë" and "Nguyễn" print as typed.
import type Database from "better-sqlite3";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
type Who = { id: string; cookie: string };
let fresh: Who, held: Who, lukasz: Who, crowd: Who, churn: Who, host: Who;
let sessionId = 0;

const hour = 3_600_000;
const day = 24 * hour;
const count = (query: string, ...params: unknown[]) => sqlite.prepare(query).pluck().get(...params) as number;
const writes = () =>
  JSON.stringify([
    count("SELECT count(*) FROM learning_links"),
    count("SELECT count(*) FROM learning_links WHERE withdrawn_at IS NOT NULL"),
    count("SELECT coalesce(sum(withdrawn_at), 0) FROM learning_links"),
    count("SELECT coalesce(sum(coalesce(learning_minutes, -1) * id), 0) FROM sessions"),
    count("SELECT count(*) FROM log_entries"),
  ]);

function post(path: string, fields: Record<string, string | string[]>, cookie?: string) {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}
const get = (path: string, cookie?: string) => fetch(server.url + path, { redirect: "manual", headers: { "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) } });
const make = (who: Who, name: string | string[], scope: string | string[] = "all") => post("/settings/learning", { intent: "make", scope, name }, who.cookie);
const withdraw = (who: Who, code: string | string[]) => post("/settings/learning", { intent: "withdraw", code }, who.cookie);
const linksOf = (who: Who) => sqlite.prepare("SELECT code, name, withdrawn_at FROM learning_links WHERE member_id = ? ORDER BY created_at, rowid").all(who.id) as { code: string; name: string; withdrawn_at: number | null }[];

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

/** A past session of an initiative `hostId` hosts, that each of `attendees` checked in at. */
function attendedSession(hostId: string, attendees: string[], daysAgo: number, title = "Cursus gespreksvoering") {
  // On the minute, as a time typed into the session form is.
  const start = Math.floor((Date.now() - daysAgo * day) / 60_000) * 60_000;
  const initiative = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES (?, 'Samen oefenen', 'course', ?, ?, ?) RETURNING id").pluck().get(title, hostId, start - 30 * day, start - 30 * day) as number;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, hostId, start - 30 * day, start);
  const session = sqlite
    .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis', 'ACDEFG', ?, ?, ?) RETURNING id")
    .pluck()
    .get(initiative, start, start + 2 * hour, start - 5 * day, start - 5 * day, start - 5 * day) as number;
  attendees.forEach((memberId, i) =>
    sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (?, ?, 'registered', ?, ?, 'code', ?, ?)").run(session, memberId, i + 1, start + 600_000, start - day, start + 600_000),
  );
  return session;
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [fresh, held, lukasz, crowd, churn, host] = insertMembers(sqlite, 6, "learn");
  const old = Date.now() - 60 * day;
  sqlite.prepare("UPDATE members SET display_name = 'Łukasz Zoë Nguyễn', created_at = ? WHERE id = ?").run(old, lukasz.id);
  sqlite.prepare("UPDATE members SET display_name = 'Hanna Host', created_at = ? WHERE id = ?").run(old, host.id);
  sqlite.prepare("UPDATE members SET created_at = ?, posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(old, Date.now(), held.id);
  sessionId = attendedSession(host.id, [lukasz.id, held.id, crowd.id, churn.id], 3);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("as a visitor", () => {
  it("the page, the PDF and the form send you to log in, and nothing is written", async () => {
    for (const path of ["/settings/learning", "/settings/learning.pdf?lang=nl"]) {
      const res = await get(path);
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toContain("/login?redirectTo=");
    }
    await refused(post("/settings/learning", { intent: "make", scope: "all", name: "x" }), [302, 303]);
    await refused(post("/settings/learning", { intent: "withdraw", code: "A".repeat(24) }), [302, 303]);
  });
});

describe("as a fresh account", () => {
  it("the page says there is nothing yet, a link is refused, and the PDF says so", async () => {
    expect(await (await get("/settings/learning", fresh.cookie)).text()).toContain("Je was nog bij geen bijeenkomst");
    await refused(make(fresh, "Nieuw"), 400, "Je was nog bij geen bijeenkomst: er valt nog niets te controleren.");
    await refused(make(fresh, "Nieuw", String(new Date().getFullYear())), 400, "Kies het hele verslag of een jaar");
    const pdf = await get("/settings/learning.pdf?lang=nl", fresh.cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
  });

  it("cannot give a session learning hours", async () => {
    await refused(post(`/sessions/${sessionId}/edit`, { learningHours: "24" }, fresh.cookie), 403);
  });
});

describe("as a held member", () => {
  it("makes no link (the name would be shown to anyone), but gets the PDF", async () => {
    await refused(make(held, "Mijn naam"), 403, "je berichten zijn tegengehouden");
    expect((await get("/settings/learning.pdf?lang=en", held.cookie)).status).toBe(200);
  });

  it("has no host power over learning hours", async () => {
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) SELECT initiative_id, ?, 0, 0 FROM sessions WHERE id = ?").run(held.id, sessionId);
    await refused(post(`/sessions/${sessionId}/edit`, { learningHours: "12" }, held.cookie), 403);
    sqlite.prepare("DELETE FROM hosts WHERE member_id = ?").run(held.id);
  });
});

describe("names on a link", () => {
  it("takes 100 characters and refuses 101 or a megabyte", async () => {
    expect((await make(lukasz, "Ł".repeat(100))).status).toBe(303);
    // One word wider than the page: the PDF cuts it over lines and prints every letter.
    const longest = linksOf(lukasz).at(-1)!;
    const pdf = await get(`/settings/learning.pdf?lang=nl&code=${longest.code}`, lukasz.cookie);
    expect(pdf.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toMatch(/Ł{20,}\s+Ł+/);
    expect(text.replace(/\s+/g, "")).toContain("Ł".repeat(100));
    await refused(make(lukasz, "Ł".repeat(101)), 400, "hoogstens 100 tekens");
    await refused(make(lukasz, "x".repeat(100_000)), [400, 413]);
  });

  it("is kept as one clean line, shown escaped, and printed in the PDF as typed", async () => {
    const odd = "  <script>alert(1)</script>\u202Egnp\u200B Zoë\r\nNguyễn\t  ";
    expect((await make(lukasz, [odd, "tweede naam"])).status).toBe(303);
    const link = linksOf(lukasz).at(-1)!;
    expect(link.name).toBe("<script>alert(1)</script>gnp Zoë Nguyễn");
    const page = await (await get(`/verify/${link.code}`)).text();
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;gnp Zoë Nguyễn");
    expect(page).not.toContain("<script>alert(1)");
    // Scripts the font does not have are left blank in the PDF; the page still shows them.
    expect((await make(lukasz, "山田 太郎 🎓 Łukasz")).status).toBe(303);
    const wide = linksOf(lukasz).at(-1)!;
    expect(await (await get(`/verify/${wide.code}`)).text()).toContain("山田 太郎 🎓 Łukasz");
    const pdf = await get(`/settings/learning.pdf?lang=nl&code=${wide.code}`, lukasz.cookie);
    expect(pdf.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Łukasz");
    expect(text).toContain(`/verify/${wide.code}`);
  });

  it("an empty name becomes the display name, and the PDF from the built server prints it", async () => {
    expect((await make(lukasz, "   ")).status).toBe(303);
    const link = linksOf(lukasz).at(-1)!;
    expect(link.name).toBe("Łukasz Zoë Nguyễn");
    const pdf = await get(`/settings/learning.pdf?lang=en&code=${link.code}`, lukasz.cookie);
    expect(pdf.headers.get("Content-Disposition")).toMatch(/^attachment; filename="record-of-learning-all-\d{4}-\d\d-\d\d\.pdf"$/);
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Record of learning");
    expect(text).toContain("Name: Łukasz Zoë Nguyễn");
    expect(text).toContain("Cursus gespreksvoering");
    expect(text).toContain("Hanna Host");
  });
});

describe("making links", () => {
  it.each(["", "alles", "2026x", "0000", "-1", "1e3", "<b>", "٢٠٢٦"])("refuses the period %j without writing", async (scope) => {
    await refused(make(lukasz, "Naam", scope), 400, "Kies het hele verslag of een jaar");
  });

  it("takes the first of repeated fields", async () => {
    expect((await make(lukasz, ["Eerste", "Tweede"], ["all", "1999"])).status).toBe(303);
    expect(linksOf(lukasz).at(-1)!.name).toBe("Eerste");
  });

  it("refuses an unknown intent or none", async () => {
    await refused(post("/settings/learning", { intent: "hack" }, lukasz.cookie), 400);
    await refused(post("/settings/learning", { scope: "all" }, lukasz.cookie), 400);
  });

  it("stops at 20 working links with a clear message, the 21st writes nothing", async () => {
    const active = () => linksOf(lukasz).filter((l) => l.withdrawn_at === null).length;
    while (active() < 20) expect((await make(lukasz, `Link ${active()}`)).status).toBe(303);
    await refused(make(lukasz, "De 21e"), 409, "Je hebt al 20 controlelinks die werken. Trek er eerst een in.");
    expect(await (await get("/settings/learning", lukasz.cookie)).text()).toContain("Je hebt al 20 controlelinks die werken");
  });

  it("25 at once make exactly 20", async () => {
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => make(crowd, `Tegelijk ${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 303)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(5);
    expect(linksOf(crowd)).toHaveLength(20);
  });

  it("withdrawing and making again is limited per day", async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const res = await make(churn, `Keer ${i}`);
      last = res.status;
      if (res.status !== 303) break;
      await withdraw(churn, linksOf(churn).at(-1)!.code);
    }
    expect(last).toBe(429);
    expect(linksOf(churn)).toHaveLength(30);
    await refused(make(churn, "Nog een"), 429, "Probeer het morgen weer");
  });
});

describe("withdrawing", () => {
  it("twice changes nothing the second time", async () => {
    const link = linksOf(lukasz)[0];
    expect((await withdraw(lukasz, link.code)).status).toBe(303);
    const at = linksOf(lukasz)[0].withdrawn_at;
    expect(at).not.toBeNull();
    const before = writes();
    expect((await withdraw(lukasz, link.code)).status).toBe(303);
    expect(writes()).toBe(before);
    const gone = await get(`/verify/${link.code}`);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain("Deze controlelink is ingetrokken");
  });

  it("refuses forged codes and someone else's link with 404, and writes nothing", async () => {
    const others = linksOf(crowd)[0].code;
    for (const code of ["", "x", "A".repeat(24), "A".repeat(25), "é".repeat(24), "../../etc", others, "%00".repeat(8)]) {
      await refused(withdraw(lukasz, code), 404, "Deze controlelink bestaat niet, of is niet van jou.");
    }
    await refused(withdraw(fresh, others), 404);
    expect(linksOf(crowd)[0].withdrawn_at).toBeNull();
  });
});

describe("the verification page", () => {
  it("is public, noindex, sets no cookie, and answers forged codes with 404", async () => {
    const code = linksOf(crowd)[0].code;
    const res = await get(`/verify/${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Robots-Tag")).toBe("noindex");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).toContain("geen accreditatie");
    for (const forged of ["A".repeat(24), code.slice(0, -1) + (code.endsWith("A") ? "B" : "A"), code.toLowerCase() === code ? code.toUpperCase() : code.toLowerCase(), "x".repeat(5000), "%E2%80%AE", "..%2F..%2Fetc"]) {
      const answer = await get(`/verify/${forged}`);
      expect([404, 414]).toContain(answer.status);
      expect(await answer.text()).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)/);
    }
  });
});

describe("hostile PDF addresses", () => {
  it.each(["lang=xx", "lang=nl&year=20", "year=abcd", "year=2026&lang=<b>", "code=forged", `code=${"A".repeat(24)}`])("?%s is refused with 400 or 404", async (query) => {
    const res = await get(`/settings/learning.pdf?${query}`, lukasz.cookie);
    expect([400, 404]).toContain(res.status);
    expect(await res.text()).toMatch(/klopt niet|bestaat niet/);
  });

  it("someone else's link is not yours", async () => {
    expect((await get(`/settings/learning.pdf?lang=nl&code=${linksOf(crowd)[0].code}`, lukasz.cookie)).status).toBe(404);
  });
});

describe("learning hours on the session edit page", () => {
  const fields = (learningHours: string) => {
    const s = sqlite.prepare("SELECT starts_at, ends_at, place FROM sessions WHERE id = ?").get(sessionId) as { starts_at: number; ends_at: number; place: string };
    const local = (ms: number) => new Date(ms).toLocaleString("sv-SE", { timeZone: "Europe/Amsterdam" }).slice(0, 16).replace(" ", "T");
    // The meeting took place: its start and place stay as they were.
    return { startsAt: local(s.starts_at), endsAt: local(s.ends_at), place: s.place, mode: "onsite", learningHours };
  };

  it.each(["-1", "25", "24,01", "1e9", "abc", "2,5,5", "٣", "0x1", "１２", "2 5", "Infinity", "NaN"])("refuses %j as a host, with the message, writing nothing", async (typed) => {
    await refused(post(`/sessions/${sessionId}/edit`, fields(typed), host.cookie), 400, "Vul een aantal uren in van 0 tot en met 24");
  });

  it("refuses a megabyte, and repeated fields take the first", async () => {
    await refused(post(`/sessions/${sessionId}/edit`, fields("1".repeat(1_000_000)), host.cookie), [400, 413]);
    expect((await post(`/sessions/${sessionId}/edit`, { ...fields("2,5"), learningHours: ["2,5", "99"] }, host.cookie)).status).toBe(303);
    expect(count("SELECT learning_minutes FROM sessions WHERE id = ?", sessionId)).toBe(150);
  });

  it("takes 0 and 24, and the verification page says the hours changed", async () => {
    const code = linksOf(crowd)[0].code;
    expect((await post(`/sessions/${sessionId}/edit`, fields("24"), host.cookie)).status).toBe(303);
    expect(count("SELECT learning_minutes FROM sessions WHERE id = ?", sessionId)).toBe(1440);
    expect((await post(`/sessions/${sessionId}/edit`, fields("0"), host.cookie)).status).toBe(303);
    expect(count("SELECT learning_minutes FROM sessions WHERE id = ?", sessionId)).toBe(0);
    const page = await (await get(`/verify/${code}`)).text();
    expect(page).toContain("klopt niet meer met wat er vastlag");
    expect(page).toContain("de leeruren veranderden van 2,0 naar 0,0 uur");
  });
});
