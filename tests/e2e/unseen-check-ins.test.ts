// A check-in the witnesses did not see (ADR 051) in a real browser on a phone (360 px): two
// founders who checked in at a meeting going on now say they did not see a member who checked in
// too, one with JavaScript and one without; with the second the check-in lapses, and the member
// reads why and gets no check-in form back. The pages pass axe and the Nu HTML Checker and never
// scroll sideways.
import { describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "../support/browser";
import { browserAndServerForFile } from "../support/browser-server-for-file";
import { insertMembers } from "../support/direct-db";
import { Member } from "../support/e2e-governance";
import { htmlErrors } from "../support/vnu";

const hour = 3_600_000;
const day = 24 * hour;
const files = browserAndServerForFile();

const sideways = (member: Member) => member.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe("a check-in the witnesses did not see", () => {
  it("is said by two witnesses who were there, with and without JavaScript, and lapses with the second", async () => {
    const { server, browser, sqlite } = files;
    const [hana, anna, bram, pien] = insertMembers(sqlite, 4, "u");
    const names = { [hana.id]: "Hana Host", [anna.id]: "Anna Aalbers", [bram.id]: "Bram Bakker", [pien.id]: "Pien Peters" };
    for (const [id, name] of Object.entries(names)) sqlite.prepare("UPDATE members SET display_name = ?, created_at = ? WHERE id = ?").run(name, Date.now() - 40 * day, id);
    for (const f of [hana, anna, bram]) sqlite.prepare("UPDATE members SET founder_at = ? WHERE id = ?").run(Date.now() - 40 * day, f.id);
    // A meeting that started an hour ago, on the agenda for three days; Anna, Bram and Pien checked in with the code.
    const start = Date.now() - hour;
    const initiative = sqlite
      .prepare("INSERT INTO initiatives (title, summary, body, kind, created_by, created_at, updated_at) VALUES ('Intervisie', 'Samen leren van casussen.', '', 'course', ?, ?, ?) RETURNING id")
      .pluck()
      .get(hana.id, start - 3 * day, start - 3 * day) as number;
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, hana.id, start - 3 * day, start - 3 * day);
    const sessionId = sqlite
      .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis De Linde', 'ACDEFG', ?, ?, ?) RETURNING id")
      .pluck()
      .get(initiative, start, start + 2 * hour, start - 3 * day, start - 3 * day, start - 3 * day) as number;
    [anna, bram, pien].forEach((m, i) =>
      sqlite
        .prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (?, ?, 'registered', ?, ?, 'code', ?, ?)")
        .run(sessionId, m.id, i + 1, start + 600_000 * (i + 1), start - day, start),
    );

    const A = await Member.open(browser, server.url, { id: anna.id, name: names[anna.id], cookie: anna.cookie });
    const B = await Member.open(browser, server.url, { id: bram.id, name: names[bram.id], cookie: bram.cookie }, { javaScript: false });
    const P = await Member.open(browser, server.url, { id: pien.id, name: names[pien.id], cookie: pien.cookie });
    const documents: { label: string; html: string }[] = [];
    const check = async (who: Member, label: string) => {
      await expectNoSeriousAxeViolations(who.page);
      expect(await sideways(who), `${label} scrolls sideways at 360 px`).toBe(false);
      documents.push({ label, html: await who.page.content() });
    };
    const here = `/sessions/${sessionId}`;

    await A.visit(here);
    expect(await A.mainText()).toContain("Zeggen twee getuigen die er waren dat, dan vervalt die aanwezigheid");
    // Not of herself.
    expect(await A.page.getByRole("button", { name: /^Niet gezien ?: Anna Aalbers$/ }).count()).toBe(0);
    await check(A, "a witness who was there");
    await A.send(A.page.getByRole("button", { name: /^Niet gezien ?: Pien Peters$/ }), A.page.getByText("1 getuige zag deze persoon niet"));
    await A.page.getByRole("button", { name: /^Toch gezien ?: Pien Peters$/ }).waitFor();
    expect(sqlite.prepare("SELECT attended_at IS NOT NULL FROM registrations WHERE session_id = ? AND member_id = ?").pluck().get(sessionId, pien.id)).toBe(1);

    await B.visit(here);
    await B.send(B.page.getByRole("button", { name: /^Niet gezien ?: Pien Peters$/ }), B.page.getByText("niet gezien door getuigen; aanwezigheid vervallen"));
    await check(B, "the witness whose word struck the check-in");
    expect(sqlite.prepare("SELECT attended_at IS NULL AND unseen_at IS NOT NULL FROM registrations WHERE session_id = ? AND member_id = ?").pluck().get(sessionId, pien.id)).toBe(1);
    expect(await B.page.getByRole("button", { name: /^Niet gezien ?: Pien Peters$/ }).count()).toBe(0);

    await P.visit(here);
    expect(await P.mainText()).toContain("Twee getuigen die bij deze bijeenkomst waren, hebben je er niet gezien.");
    expect(await P.page.locator("#checkin-code").count()).toBe(0);
    await check(P, "the member whose check-in lapsed");
    await P.visit(`/members/${pien.id}`);
    expect(await P.mainText()).toContain("telt niet: twee getuigen die er waren, hebben je er niet gezien.");
    await check(P, "the profile of the member whose check-in lapsed");
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
