// A new founder's yes (governance.md §1) in a real browser on a phone (360 px): four founders
// with a voice, so a member who accepted an invitation needs three yes and the invitation is one.
// The member who accepted sees what is missing; one founder says yes with JavaScript, the other
// without; the pages pass axe and the Nu HTML Checker and never scroll sideways.
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "../support/browser";
import { browserAndServerForFile } from "../support/browser-server-for-file";
import { insertMembers } from "../support/direct-db";
import { Member } from "../support/e2e-governance";
import { htmlErrors } from "../support/vnu";

const day = 86_400_000;
const files = browserAndServerForFile();

const sideways = (member: Member) => member.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe("saying yes to a new founder", () => {
  it("shows who waits and what is missing, takes a yes with and without JavaScript, and makes the founder with the second", async () => {
    const { server, browser, sqlite } = files;
    const [anna, bram, cato, dirk, pien] = insertMembers(sqlite, 5, "f");
    const names = { [anna.id]: "Anna Aalbers", [bram.id]: "Bram Bakker", [cato.id]: "Cato Claassen", [dirk.id]: "Dirk Dekker", [pien.id]: "Pien Peters" };
    for (const [id, name] of Object.entries(names)) sqlite.prepare("UPDATE members SET display_name = ?, created_at = ? WHERE id = ?").run(name, Date.now() - 3 * day, id);
    for (const f of [anna, bram, cato, dirk]) sqlite.prepare("UPDATE members SET founder_at = ? WHERE id = ?").run(Date.now() - 3 * day, f.id);
    // Anna invited Pien, and Pien accepted an hour ago.
    const invitation = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("hex");
    sqlite
      .prepare("INSERT INTO founder_invitations (token_hash, invited_by, created_at, expires_at, used_at, used_by) VALUES (?, ?, ?, ?, ?, ?)")
      .run(invitation, anna.id, Date.now() - day, Date.now() + 13 * day, Date.now() - 3_600_000, pien.id);

    const P = await Member.open(browser, server.url, { id: pien.id, name: names[pien.id], cookie: pien.cookie });
    const B = await Member.open(browser, server.url, { id: bram.id, name: names[bram.id], cookie: bram.cookie });
    const C = await Member.open(browser, server.url, { id: cato.id, name: names[cato.id], cookie: cato.cookie }, { javaScript: false });
    const documents: { label: string; html: string }[] = [];
    const check = async (who: Member, label: string) => {
      await expectNoSeriousAxeViolations(who.page);
      expect(await sideways(who), `${label} scrolls sideways at 360 px`).toBe(false);
      documents.push({ label, html: await who.page.content() });
    };

    await P.visit("/founders");
    expect(await P.mainText()).toContain("er zijn nog 2 keer ja nodig");
    await check(P, "the member who accepted");

    await B.visit("/founders");
    expect(await B.mainText()).toContain("nu 3 keer ja van 4 oprichters");
    expect(await B.mainText()).toContain("Uitgenodigd door Anna Aalbers. Nog 2 keer ja nodig");
    await check(B, "a founder asked for a yes");
    await B.send(B.page.getByRole("button", { name: "Ja, Pien Peters wordt oprichter" }), B.page.getByText("Je ja is geteld."));
    // The list is read again after the yes (the notice can show a moment before it).
    await B.page.getByText("Nog 1 ja nodig", { exact: false }).waitFor();
    // Said once: no button for Bram any more.
    expect(await B.page.getByRole("button", { name: "Ja, Pien Peters wordt oprichter" }).count()).toBe(0);
    expect(sqlite.prepare("SELECT founder_at IS NULL FROM members WHERE id = ?").pluck().get(pien.id)).toBe(1);

    await C.visit("/founders");
    await C.send(C.page.getByRole("button", { name: "Ja, Pien Peters wordt oprichter" }), C.page.getByText("Met jouw ja is er een oprichter bij."));
    await check(C, "the founder whose yes made the founder");
    expect(sqlite.prepare("SELECT founder_at IS NOT NULL FROM members WHERE id = ?").pluck().get(pien.id)).toBe(1);
    expect(await C.mainText()).not.toContain("Wachten op ja");

    await P.visit(`/members/${pien.id}`);
    expect(await P.page.locator("section[aria-labelledby=voice-heading]").textContent()).toContain("Oprichter van dit netwerk.");
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
