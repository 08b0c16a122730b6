// Adding a venue from the form that adds a session, through the real server and its database
// file: the form links to /venues/new with the way back, the venue form keeps it, and saving the
// venue leads back to the session form, where the new venue is in the list. The place typed by
// hand says that it counts only without a venue from the list.
import { describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("venue-from-session-form");

const headers = (cookie: string) => ({ "Accept-Language": "nl", Cookie: cookie });
const page = async (path: string, cookie: string) => {
  const res = await fetch(files.server.url + path, { headers: headers(cookie) });
  expect(res.status).toBe(200);
  return res.text();
};

describe("a new venue from the session form", () => {
  it("is linked from the form, and saving it leads back there with the venue in the list", async () => {
    const [host] = insertMembers(files.sqlite, 1, "venuehost");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const formPath = `/initiatives/${initiativeId}/sessions`;
    const back = encodeURIComponent(formPath);

    const form = await page(formPath, host.cookie);
    expect(form).toMatch(new RegExp(`<a [^>]*href="/venues/new\\?back=${back}">Nieuwe plek toevoegen</a>`));

    const venueForm = await page(`/venues/new?back=${back}`, host.cookie);
    const venueFormTag = venueForm.match(/<form[^>]*>/g)!.find((tag) => tag.includes("/venues/new"));
    const action = /action="([^"]*)"/.exec(venueFormTag ?? "")?.[1].replace(/&amp;/g, "&");
    expect(action).toBe(`/venues/new?back=${back}`);

    const saved = await fetch(files.server.url + action, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...headers(host.cookie) },
      body: new URLSearchParams({ name: "Buurthuis De Linde", address: "Lindelaan 1" }).toString(),
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe(`${formPath}?done=saved`);

    const withVenue = await page(`${formPath}?done=saved`, host.cookie);
    expect(withVenue).toContain("Buurthuis De Linde (Lindelaan 1)");
    expect(withVenue).toContain("Plek uit de lijst");
    expect(withVenue).toContain("Andere plaats");
    expect(withVenue).toContain("Deze plaats geldt alleen als je hierboven geen plek uit de lijst kiest.");
  });

  it("goes to the venue's own page without a way back, and never to another site", async () => {
    const [member] = insertMembers(files.sqlite, 1, "venueplain");
    for (const query of ["", "?back=%2F%2Fevil.example"]) {
      const saved = await fetch(`${files.server.url}/venues/new${query}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...headers(member.cookie) },
        body: new URLSearchParams({ name: `Bibliotheek ${query.length}` }).toString(),
      });
      expect(saved.status).toBe(303);
      expect(saved.headers.get("location")).toMatch(/^\/venues\/\d+$/);
    }
  });
});
