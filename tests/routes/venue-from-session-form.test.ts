// Adding a venue from a session's form, through the real server and its database file
// (docs/decisions/055): "Nieuwe plek toevoegen" is a button of the session form, so what the host
// typed goes along and is kept as a draft (nothing of the session is saved); the venue form keeps
// the way back, and saving the venue (or going back without saving) leads to the session form
// with what was typed filled in again and the new venue picked. Then the worst input: 300 fields,
// 8 KB values, a member who does not host, a held host, odd venue ids in the address, many
// drafts from one account, two tabs at once, a draft a day old.
import { describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, passTime } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("venue-from-session-form");

const headers = (cookie: string) => ({ "Accept-Language": "nl", Cookie: cookie });
const page = async (path: string, cookie: string, status = 200) => {
  const res = await fetch(files.server.url + path, { headers: headers(cookie) });
  expect(res.status).toBe(status);
  return res.text();
};
async function post(path: string, fields: [string, string][], cookie: string) {
  const res = await fetch(files.server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...headers(cookie) },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}
const drafts = (memberId: string) =>
  files.sqlite.prepare("SELECT form, fields, saved_at FROM session_drafts WHERE member_id = ? ORDER BY form").all(memberId) as { form: string; fields: string; saved_at: number }[];
/** The name of the tab's draft in a way back (`/venues/new?back=…?draft=<name>`), or in a form's address. */
const draftOf = (location: string) => {
  const back = new URL(location, "http://x").searchParams.get("back");
  return new URL(back ?? location, "http://x").searchParams.get("draft") ?? "";
};
const decode = (html: string) => html.replace(/<!-- -->/g, "").replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
/** Where the page's link that reads `text` leads. */
const linkTo = (html: string, text: string) => [...decode(html).matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].find((m) => m[2] === text)?.[1];
/** The value a field of the page's form is filled in with. */
const valueOf = (html: string, name: string) => decode(new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? "");
const checked = (html: string, name: string) => /value="([^"]*)"/.exec(html.match(new RegExp(`<input[^>]*name="${name}"[^>]*checked=""[^>]*>`))?.[0] ?? "")?.[1];
/** The venue picked in each venue select, in order ("" for none). */
const pickedVenues = (html: string) =>
  [...html.matchAll(/<select[^>]*name="venueId"[^>]*>([\s\S]*?)<\/select>/g)].map((m) => /<option [^>]*value="([^"]*)"[^>]*selected=""/.exec(m[1])?.[1] ?? /<option selected="" value="([^"]*)"/.exec(m[1])?.[1] ?? "");

/** A local date and time some days ahead, as a datetime-local field sends it. */
const ahead = (days: number, time: string) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}`;

function venue(name: string) {
  return (files.sqlite.prepare("INSERT INTO venues (name, address, created_at, updated_at) VALUES (?, '', ?, ?) RETURNING id").get(name, Date.now(), Date.now()) as { id: number }).id;
}

function hostOf(initiativeId: number, memberId: string) {
  files.sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, memberId, Date.now(), Date.now());
}

describe("a new venue from the session form", () => {
  it("keeps what was typed, and saving the venue leads back to the form with it filled in and the venue picked", async () => {
    const [host] = insertMembers(files.sqlite, 1, "venuehost");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const cafe = venue("Café De Hoek");
    const formPath = `/initiatives/${initiativeId}/sessions`;

    // The form: the button belongs to it and sends the typed fields; Enter takes the form's own button, first in it.
    const form = await page(formPath, host.cookie);
    expect(form).toMatch(/<button type="submit" name="intent" value="add-venue" formnovalidate="" class="link-button">Nieuwe plek toevoegen<\/button>/);
    expect(/<form[^>]*>\s*<button ([^>]*)>/.exec(form)?.[1]).not.toContain("name=");
    expect(form).toContain("Wat je hier al invulde, blijft bewaard");
    expect(form).not.toContain("vul je dan opnieuw in");

    const typed: [string, string][] = [
      ["startsAt", ahead(30, "19:00")],
      ["endsAt", ahead(30, "21:30")],
      ["mode", "hybrid"],
      ["venueId", ""],
      ["place", "Achterzaal"],
      ["onlineUrl", "https://meet.example.org/leesclub"],
      ["hostOrganisation", "Bibliotheek Noord"],
      ["capacity", "12"],
      ["repeat", "weekly"],
      ["count", "4"],
      ["venueId", ""],
      ["venueId", String(cafe)],
      ["venueId", ""],
      ["venueId", ""],
      ["intent", "add-venue"],
    ];
    const kept = await post(formPath, typed, host.cookie);
    expect(kept.status).toBe(303);
    // The tab's draft gets a name of its own, which the way back carries.
    const name = draftOf(kept.location!);
    expect(name).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const back = `${formPath}?draft=${name}`;
    expect(kept.location).toBe(`/venues/new?back=${encodeURIComponent(back)}`);
    // Nothing of the session was saved.
    expect(files.sqlite.prepare("SELECT count(*) AS n FROM sessions WHERE initiative_id = ?").get(initiativeId)).toEqual({ n: 1 });
    expect(drafts(host.id).map((d) => d.form)).toEqual([`add:${initiativeId}#${name}`]);
    // The draft is the host's data: it is in their download, as typed.
    const exported = JSON.parse(await page("/settings/export.json", host.cookie));
    expect(exported.sessionFormDrafts).toEqual([{ form: `add:${initiativeId}#${name}`, fields: expect.objectContaining({ place: typed.find(([n]) => n === "place")![1], repeat: "weekly" }), savedAt: expect.any(String) }]);

    // The venue form keeps the way back, in its action and in its back link.
    const venueForm = await page(kept.location!, host.cookie);
    const venueFormTag = venueForm.match(/<form[^>]*>/g)!.find((tag) => tag.includes("/venues/new"));
    const action = decode(/action="([^"]*)"/.exec(venueFormTag ?? "")?.[1] ?? "");
    expect(action).toBe(kept.location);
    expect(linkTo(venueForm, "← Terug naar het formulier van je bijeenkomst")).toBe(back);

    const saved = await post(action, [["name", "Buurthuis De Linde"], ["address", "Lindelaan 1"]], host.cookie);
    expect(saved.status).toBe(303);
    const linde = (files.sqlite.prepare("SELECT id FROM venues WHERE name = 'Buurthuis De Linde'").get() as { id: number }).id;
    expect(saved.location).toBe(`${formPath}?draft=${name}&venue=${linde}`);

    const again = await page(saved.location!, host.cookie);
    // The form sends the draft's name again: a second venue added from this tab replaces its own draft.
    expect(again).toContain(`<input type="hidden" name="draft" value="${name}"/>`);
    expect(again).toContain("Buurthuis De Linde (Lindelaan 1)");
    expect(again).toContain("De nieuwe plek is opgeslagen en gekozen. Wat je eerder invulde, staat er weer. Het is nog niet opgeslagen");
    for (const name of ["startsAt", "endsAt", "place", "onlineUrl", "hostOrganisation", "capacity", "count"]) {
      expect(valueOf(again, name), name).toBe(typed.find(([n]) => n === name)![1]);
    }
    expect(checked(again, "mode")).toBe("hybrid");
    expect(checked(again, "repeat")).toBe("weekly");
    // The new venue is the session's; the venues that take turns stay as they were.
    expect(pickedVenues(again)).toEqual([String(linde), "", String(cafe), "", ""]);

    // Saving the session drops the draft: the form is empty next time.
    const filled = typed.filter(([n]) => n !== "intent" && n !== "venueId");
    const done = await post(formPath, [...filled, ["venueId", String(linde)], ["venueId", String(cafe)]], host.cookie);
    expect(done.status).toBe(303);
    expect(files.sqlite.prepare("SELECT count(*) AS n FROM sessions WHERE initiative_id = ? AND venue_id IS NOT NULL").get(initiativeId)).toEqual({ n: 4 });
    expect(drafts(host.id)).toEqual([]);
    const empty = await page(`${formPath}?draft=${name}`, host.cookie);
    expect(valueOf(empty, "startsAt")).toBe("");
    expect(empty).not.toContain("Wat je eerder invulde");
  });

  it("going back from the venue form without saving fills the form in again, without a venue picked", async () => {
    const [host] = insertMembers(files.sqlite, 1, "venueback");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const formPath = `/initiatives/${initiativeId}/sessions`;
    const kept = await post(formPath, [["startsAt", ahead(9, "10:00")], ["place", "De kas"], ["venueId", ""], ["intent", "add-venue"]], host.cookie);
    expect(kept.status).toBe(303);
    const backLink = linkTo(await page(kept.location!, host.cookie), "← Terug naar het formulier van je bijeenkomst");
    expect(backLink).toBe(`${formPath}?draft=${draftOf(kept.location!)}`);
    const again = await page(backLink!, host.cookie);
    expect(valueOf(again, "startsAt")).toBe(ahead(9, "10:00"));
    expect(valueOf(again, "place")).toBe("De kas");
    expect(again).toContain("Wat je eerder invulde, staat er weer.");
    expect(again).not.toContain("De nieuwe plek is opgeslagen en gekozen.");
    // A refused save from there shows what was sent and why, not the words about coming back.
    const refused = await post(backLink!, [["startsAt", "gisteren"], ["place", "De kas, zaal 2"], ["venueId", ""]], host.cookie);
    expect(refused.status).toBe(400);
    expect(valueOf(refused.body, "place")).toBe("De kas, zaal 2");
    expect(refused.body).toContain("Vul een geldige datum en tijd in.");
    expect(refused.body).not.toContain("Wat je eerder invulde");
    // Without ?draft= (the form opened from the initiative) it is the empty form, as always.
    expect(valueOf(await page(formPath, host.cookie), "startsAt")).toBe("");
  });

  it("works the same from the form that changes a session, learning hours included, and saving it drops the draft", async () => {
    const [host] = insertMembers(files.sqlite, 1, "venueedit");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const formPath = `/sessions/${sessionId}/edit`;
    const kept = await post(
      formPath,
      [["startsAt", ahead(12, "18:00")], ["endsAt", ahead(12, "20:00")], ["mode", "onsite"], ["venueId", ""], ["place", "Zaal 2"], ["capacity", "30"], ["learningHours", "1,5"], ["repeat", "weekly"], ["intent", "add-venue"]],
      host.cookie,
    );
    expect(kept.status).toBe(303);
    const name = draftOf(kept.location!);
    expect(kept.location).toBe(`/venues/new?back=${encodeURIComponent(`${formPath}?draft=${name}`)}`);
    // Only the fields this form has: no repeat on the form that changes one session.
    expect(JSON.parse(drafts(host.id)[0].fields)).toEqual({ startsAt: ahead(12, "18:00"), endsAt: ahead(12, "20:00"), place: "Zaal 2", capacity: "30", learningHours: "1,5", mode: "onsite", venueIds: "" });
    const saved = await post(kept.location!, [["name", "Wijkcentrum Oost"]], host.cookie);
    const oost = (files.sqlite.prepare("SELECT id FROM venues WHERE name = 'Wijkcentrum Oost'").get() as { id: number }).id;
    expect(saved.location).toBe(`${formPath}?draft=${name}&venue=${oost}`);
    const again = await page(saved.location!, host.cookie);
    expect(valueOf(again, "startsAt")).toBe(ahead(12, "18:00"));
    expect(valueOf(again, "capacity")).toBe("30");
    expect(valueOf(again, "learningHours")).toBe("1,5");
    expect(pickedVenues(again)).toEqual([String(oost)]);

    const done = await post(formPath, [["startsAt", ahead(12, "18:00")], ["endsAt", ahead(12, "20:00")], ["mode", "onsite"], ["venueId", String(oost)], ["capacity", "30"], ["learningHours", "1,5"]], host.cookie);
    expect(done.status).toBe(303);
    expect(files.sqlite.prepare("SELECT venue_id, capacity, learning_minutes FROM sessions WHERE id = ?").get(sessionId)).toEqual({ venue_id: oost, capacity: 30, learning_minutes: 90 });
    expect(drafts(host.id)).toEqual([]);
  });

  it("goes to the venue's own page without a way back, and never to another site", async () => {
    const [member] = insertMembers(files.sqlite, 1, "venueplain");
    for (const query of ["", "?back=%2F%2Fevil.example"]) {
      const saved = await post(`/venues/new${query}`, [["name", `Bibliotheek ${query.length}`]], member.cookie);
      expect(saved.status).toBe(303);
      expect(saved.location).toMatch(/^\/venues\/\d+$/);
    }
    // The back link too: only a path on this site.
    const venueForm = await page("/venues/new?back=%2F%2Fevil.example", member.cookie);
    expect(linkTo(venueForm, "← Organisaties")).toBe("/organisations");
    expect(linkTo(venueForm, "← Terug naar het formulier van je bijeenkomst")).toBeUndefined();
  });
});

describe("the draft against the worst input", () => {
  it("refuses 300 fields (413) and keeps nothing", async () => {
    const [host] = insertMembers(files.sqlite, 1, "draftfields");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const fields: [string, string][] = Array.from({ length: 300 }, (_, i) => [`f${i}`, "x"]);
    const answer = await post(`/initiatives/${initiativeId}/sessions`, [["intent", "add-venue"], ...fields], host.cookie);
    expect(answer.status).toBe(413);
    expect(drafts(host.id)).toEqual([]);
  });

  it("keeps only the form's fields, each cut to its maximum, from 8 KB values and unknown fields", async () => {
    const [host] = insertMembers(files.sqlite, 1, "draftbig");
    const { initiativeId, sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const big = "x".repeat(8 * 1024);
    // As much as a form's body may be (64 KB): seven values of 8 KB, and the venue list as long as the fields allow.
    const send = (path: string, names: string[], draft = `../${"z".repeat(200)}`) =>
      post(path, [...names.map((n): [string, string] => [n, big]), ...Array.from({ length: 150 }, (_, i): [string, string] => ["venueId", i % 2 ? "abc" : "12345678901234567890"]), ["draft", draft], ["intent", "add-venue"]], host.cookie);
    const adding = `/initiatives/${initiativeId}/sessions`;
    const editing = `/sessions/${sessionId}/edit`;
    const first = await send(adding, ["startsAt", "endsAt", "mode", "repeat", "title", "description", "other"]);
    expect(first.status).toBe(303);
    // A draft name that is no name (too long, odd characters) is ignored: the draft gets one of its own.
    const name = draftOf(first.location!);
    expect(name).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(JSON.parse(drafts(host.id)[0].fields)).toEqual({ startsAt: "x".repeat(20), endsAt: "x".repeat(20), venueIds: ",,,," });
    expect((await send(adding, ["place", "onlineUrl", "hostOrganisation", "capacity", "count", "learningHours", "scope"], name)).status).toBe(303);
    const edit = await send(editing, ["place", "onlineUrl", "hostOrganisation", "capacity", "learningHours", "scope", "mode"], "../../etc");
    expect(edit.status).toBe(303);
    // A body past the limit is refused whole; the draft kept before stays as it was.
    expect((await post(adding, [["place", "y".repeat(70 * 1024)], ["draft", name], ["intent", "add-venue"]], host.cookie)).status).toBe(413);
    const rows = drafts(host.id);
    expect(rows.map((r) => r.form)).toEqual([`add:${initiativeId}#${name}`, `edit:${sessionId}#${draftOf(edit.location!)}`]);
    const added = JSON.parse(rows[0].fields) as Record<string, string>;
    expect(Object.keys(added).sort()).toEqual(["capacity", "count", "hostOrganisation", "onlineUrl", "place", "venueIds"]);
    expect(added.place.length).toBe(200);
    expect(added.onlineUrl.length).toBe(500);
    expect(added.hostOrganisation.length).toBe(120);
    expect(added.capacity.length).toBe(15);
    // Five venue selects at most, and what is not an id is none.
    expect(added.venueIds).toBe(",,,,");
    const edited = JSON.parse(rows[1].fields) as Record<string, string>;
    expect(Object.keys(edited).sort()).toEqual(["capacity", "hostOrganisation", "learningHours", "onlineUrl", "place", "venueIds"]);
    expect(edited.learningHours.length).toBe(5);
    expect(edited.venueIds).toBe("");
    for (const row of rows) expect(row.fields.length).toBeLessThan(1200);
    // The form shows it without a fault: the fields cut, nothing checked that the form does not offer.
    const again = await page(`/initiatives/${initiativeId}/sessions?draft=${name}`, host.cookie);
    expect(valueOf(again, "place")).toBe("x".repeat(200));
    expect(checked(again, "mode")).toBe("onsite");
    // A name in the address that is no name (too long, odd characters) shows the empty form.
    for (const odd of ["y".repeat(8 * 1024), `${name}x`, "../x", "%00"]) {
      const html = await page(`/initiatives/${initiativeId}/sessions?draft=${encodeURIComponent(odd)}`, host.cookie);
      expect(valueOf(html, "place"), odd.slice(0, 20)).not.toBe("x".repeat(200));
      expect(html).not.toContain('name="draft"');
    }
  });

  it("refuses a member who does not host the initiative, and a held host, as any session post by them is refused", async () => {
    const [fresh, held] = insertMembers(files.sqlite, 2, "draftother");
    const { initiativeId, sessionId } = insertCourseSession(files.sqlite, held.id, null);
    files.sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Respect' WHERE id = ?").run(Date.now(), held.id);
    const typed: [string, string][] = [["startsAt", ahead(5, "10:00")], ["endsAt", ahead(5, "11:00")], ["place", "Ergens"]];
    for (const member of [fresh, held]) {
      for (const path of [`/initiatives/${initiativeId}/sessions`, `/sessions/${sessionId}/edit`]) {
        const plain = await post(path, typed, member.cookie);
        const withIntent = await post(path, [...typed, ["intent", "add-venue"]], member.cookie);
        expect(plain.status).toBe(403);
        expect(withIntent.status).toBe(plain.status);
        expect(withIntent.location).toBeNull();
        // The form itself is refused too, ?draft=1 or not.
        await page(`${path}?draft=1&venue=1`, member.cookie, 403);
      }
      expect(drafts(member.id)).toEqual([]);
    }
    // The held host is told on the venue form that they cannot add a place, and still has the way back.
    const venueForm = await page(`/venues/new?back=${encodeURIComponent(`/initiatives/${initiativeId}/sessions?draft=1`)}`, held.cookie);
    expect(linkTo(venueForm, "← Terug naar het formulier van je bijeenkomst")).toBe(`/initiatives/${initiativeId}/sessions?draft=1`);
    expect(venueForm).toContain("je kunt nu geen plekken toevoegen of bijwerken");
    expect(venueForm).not.toContain('name="name"');
    const refused = await post(`/venues/new?back=${encodeURIComponent(`/initiatives/${initiativeId}/sessions`)}`, [["name", "Niet door mij"]], held.cookie);
    expect(refused.status).toBe(403);
  });

  it("picks only a venue that exists, whatever the address says", async () => {
    const [host] = insertMembers(files.sqlite, 1, "draftvenue");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const real = venue("Het Anker");
    const formPath = `/initiatives/${initiativeId}/sessions`;
    for (const odd of ["abc", "0", "-1", "1e3", " 1", "99999999999999999999", "9007199254740993", "9999999", `${real}x`, "%00", "1".repeat(600)]) {
      const html = await page(`${formPath}?draft=1&venue=${encodeURIComponent(odd)}`, host.cookie);
      expect(pickedVenues(html)[0], odd).toBe("");
      expect(html).not.toContain("De nieuwe plek is opgeslagen en gekozen.");
    }
    const html = await page(`${formPath}?venue=${real}&venue=abc`, host.cookie);
    expect(pickedVenues(html)[0]).toBe(String(real));
  });

  it("keeps one draft per tab of a form, the newest ten at most", async () => {
    const [host] = insertMembers(files.sqlite, 1, "draftmany");
    const initiatives = Array.from({ length: 12 }, () => insertCourseSession(files.sqlite, host.id, null).initiativeId);
    const first = await post(`/initiatives/${initiatives[0]}/sessions`, [["place", "Keer 0"], ["intent", "add-venue"]], host.cookie);
    const name = draftOf(first.location!);
    for (let i = 1; i < 20; i++) {
      expect((await post(`/initiatives/${initiatives[0]}/sessions`, [["place", `Keer ${i}`], ["draft", name], ["intent", "add-venue"]], host.cookie)).status).toBe(303);
    }
    expect(drafts(host.id).map((d) => JSON.parse(d.fields).place)).toEqual(["Keer 19"]);
    // Without a name each post is a tab of its own: ten drafts at most, the newest.
    for (const id of initiatives.slice(1)) {
      expect((await post(`/initiatives/${id}/sessions`, [["place", `Initiatief ${id}`], ["intent", "add-venue"]], host.cookie)).status).toBe(303);
    }
    const rows = drafts(host.id);
    expect(rows).toHaveLength(10);
    expect(rows.some((r) => r.form.startsWith(`add:${initiatives[0]}#`))).toBe(false);
    expect(rows.some((r) => r.form.startsWith(`add:${initiatives[11]}#`))).toBe(true);
  });

  it("from two tabs of one form at once: each tab gets back its own typing, and saving from one drops both", async () => {
    const [host] = insertMembers(files.sqlite, 1, "drafttabs");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const formPath = `/initiatives/${initiativeId}/sessions`;
    const tab = (n: number, round: number): [string, string][] => [["startsAt", ahead(3 + n, "09:00")], ["place", `Tab ${n}, keer ${round}`], ["capacity", String(n)], ["intent", "add-venue"]];
    const firsts = await Promise.all([1, 2].map((n) => post(formPath, tab(n, 0), host.cookie)));
    const names = firsts.map((a) => draftOf(a.location!));
    expect(new Set(names).size).toBe(2);
    for (let round = 1; round <= 5; round++) {
      const answers = await Promise.all([1, 2].map((n, i) => post(formPath, [...tab(n, round), ["draft", names[i]]], host.cookie)));
      expect(answers.map((a) => a.status)).toEqual([303, 303]);
      expect(drafts(host.id)).toHaveLength(2);
      for (const [i, n] of [1, 2].entries()) {
        const back = await page(`${formPath}?draft=${names[i]}`, host.cookie);
        expect(valueOf(back, "place")).toBe(`Tab ${n}, keer ${round}`);
        expect(valueOf(back, "capacity")).toBe(String(n));
      }
    }
    const venueId = venue("Tabzaal");
    const saved = await post(formPath, [["startsAt", ahead(4, "09:00")], ["endsAt", ahead(4, "10:00")], ["mode", "onsite"], ["venueId", String(venueId)], ["draft", names[0]]], host.cookie);
    expect(saved.status).toBe(303);
    expect(drafts(host.id)).toEqual([]);
  });

  it("is not shown to another host of the same initiative, and not after a day", async () => {
    const [host, cohost] = insertMembers(files.sqlite, 2, "draftday");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    hostOf(initiativeId, cohost.id);
    const formPath = `/initiatives/${initiativeId}/sessions`;
    const kept = await post(formPath, [["place", "Alleen van mij"], ["intent", "add-venue"]], host.cookie);
    expect(kept.status).toBe(303);
    const name = draftOf(kept.location!);
    expect(valueOf(await page(`${formPath}?draft=${name}`, cohost.cookie), "place")).not.toBe("Alleen van mij");
    expect(valueOf(await page(`${formPath}?draft=${name}`, host.cookie), "place")).toBe("Alleen van mij");

    passTime(files.sqlite, 24 * 60 * 60_000 + 1000);
    const later = await page(`${formPath}?draft=${name}`, host.cookie);
    expect(valueOf(later, "place")).not.toBe("Alleen van mij");
    expect(later).not.toContain("Wat je eerder invulde");
    // The next draft kept, by anyone, removes the old ones.
    expect((await post(formPath, [["place", "Nieuw"], ["intent", "add-venue"]], cohost.cookie)).status).toBe(303);
    expect(drafts(host.id)).toEqual([]);
  });
});
