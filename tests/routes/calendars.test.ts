import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { parseLocalDateTime } from "~/lib/time";
import { register } from "~/models/registrations.server";
import { addSession, sessionInput } from "~/models/sessions.server";
import { loader as agendaIcs } from "~/routes/agenda[.ics]";
import { loader as agendaLoader } from "~/routes/agenda";
import { loader as privateFeed } from "~/routes/calendar.$token";
import { loader as initiativeIcs } from "~/routes/initiatives.$id_.calendar[.ics]";
import { loader as sessionIcs } from "~/routes/sessions.$id_.calendar[.ics]";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { initiativeBy, sessionOf } from "../support/fixtures";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let host: Member, ann: Member;
let courseId: number, winterId: number, summerId: number;

// Far enough ahead to stay in the future; one session in winter time, one in summer time.
const nextYear = new Date().getUTCFullYear() + 1;

beforeAll(async () => {
  [host, ann] = await Promise.all([memberWithSession("Host"), memberWithSession("Ann")]);
  courseId = initiativeBy(host.id, { title: "Mediation; een cursus, met komma's" });
  const add = (startsAt: string, endsAt: string) =>
    addSession(courseId, host.id, sessionInput({ now: new Date(), creating: true }).parse({ startsAt, endsAt, place: "Stadhuis, zaal 3", capacity: "" }));
  winterId = add(`${nextYear}-01-20T19:30`, `${nextYear}-01-20T21:30`);
  summerId = add(`${nextYear}-07-01T19:30`, `${nextYear}-07-01T21:30`);
  register(winterId, ann.id);
});

const text = async (result: unknown) => {
  const response = result as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toContain("text/calendar");
  return response.text();
};

const utcStamp = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d{3}/, "");

describe("calendar files", () => {
  it("write a session in UTC: 19:30 in Amsterdam is 18:30Z in winter and 17:30Z in summer", async () => {
    const winter = await text(await settle(() => sessionIcs({ request: getRequest(`/sessions/${winterId}/calendar.ics`), context, params: { id: String(winterId) } })));
    expect(winter).toContain("BEGIN:VCALENDAR");
    expect(winter).toContain(`DTSTART:${nextYear}0120T183000Z`);
    expect(winter).toContain(`DTEND:${nextYear}0120T203000Z`);
    expect(winter).toMatch(/LOCATION:Stadhuis\\, zaal 3/);
    const summer = await text(await settle(() => sessionIcs({ request: getRequest(`/sessions/${summerId}/calendar.ics`), context, params: { id: String(summerId) } })));
    expect(summer).toContain(`DTSTART:${nextYear}0701T173000Z`);
    expect(utcStamp(parseLocalDateTime(`${nextYear}-07-01T19:30`, "Europe/Amsterdam")!.toISOString())).toBe(`${nextYear}0701T173000Z`);
  });

  it("list all sessions of an initiative, and the whole agenda", async () => {
    const all = await text(await settle(() => initiativeIcs({ request: getRequest(`/initiatives/${courseId}/calendar.ics`), context, params: { id: String(courseId) } })));
    expect(all.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    const agenda = await text(await settle(() => agendaIcs({ request: getRequest("/agenda.ics"), context, params: {} })));
    expect(agenda).toContain(`session-${winterId}@`);
    expect(statusOf(await settle(() => sessionIcs({ request: getRequest("/sessions/99999/calendar.ics"), context, params: { id: "99999" } })))).toBe(404);
  });

  it("keep the agenda file written out, but never out of date: a new, changed or cancelled session shows at once", async () => {
    const agenda = (headers: Record<string, string> = {}) => settle(() => agendaIcs({ request: getRequest("/agenda.ics", { headers }), context, params: {} })) as Promise<Response>;
    const first = await agenda();
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await agenda({ "If-None-Match": etag })).status).toBe(304);

    const added = sessionOf(courseId, host.id, { place: "Wijkcentrum Noord" });
    const afterAdding = await agenda({ "If-None-Match": etag });
    expect(afterAdding.status).toBe(200);
    expect(await afterAdding.text()).toContain(`session-${added}@`);

    // A change written by another program (a script, a restore) counts as well.
    db().$client.prepare("UPDATE initiatives SET title = 'Mediation, vernieuwd' WHERE id = ?").run(courseId);
    expect(await text(await agenda())).toContain("SUMMARY:Mediation\\, vernieuwd");
    db().$client.prepare("UPDATE initiatives SET title = ? WHERE id = ?").run("Mediation; een cursus, met komma's", courseId);

    db().run(sql`UPDATE sessions SET cancelled_at = ${Date.now()} WHERE id = ${added}`);
    expect(await text(await agenda())).not.toContain(`session-${added}@`);
  });

  it("send the agenda compressed to clients that accept gzip", async () => {
    const plain = await text(await settle(() => agendaIcs({ request: getRequest("/agenda.ics"), context, params: {} })));
    const response = (await settle(() => agendaIcs({ request: getRequest("/agenda.ics", { headers: { "Accept-Encoding": "gzip, deflate" } }), context, params: {} }))) as Response;
    expect(response.headers.get("Content-Encoding")).toBe("gzip");
    const { gunzipSync } = await import("node:zlib");
    expect(gunzipSync(Buffer.from(await response.arrayBuffer())).toString("utf8")).toBe(plain);
  });

  it("mark a cancelled session as cancelled", async () => {
    const extra = sessionOf(courseId, host.id);
    db().run(sql`UPDATE sessions SET cancelled_at = ${Date.now()} WHERE id = ${extra}`);
    const file = await text(await settle(() => sessionIcs({ request: getRequest(`/sessions/${extra}/calendar.ics`), context, params: { id: String(extra) } })));
    expect(file).toContain("STATUS:CANCELLED");
  });
});

describe("a member's private calendar feed", () => {
  const settings = () => settingsLoader({ request: getRequest("/settings", { cookie: ann.cookie }), context, params: {} });

  it("is created on request, lists only their own sessions, and stops working when renewed or revoked", async () => {
    expect(dataOf<{ calendarUrl: string | null }>(await settings()).calendarUrl).toBeNull();
    await settle(() => settingsAction({ request: formRequest("/settings", { intent: "renew-calendar" }, { cookie: ann.cookie }), context, params: {} }));
    const url = dataOf<{ calendarUrl: string }>(await settings()).calendarUrl;
    const token = /\/calendar\/([\w-]+)\.ics$/.exec(url)![1];
    expect(token.length).toBeGreaterThanOrEqual(32);
    const feed = await text(await settle(() => privateFeed({ request: getRequest(`/calendar/${token}.ics`), context, params: { token: `${token}.ics` } })));
    expect(feed.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(feed).toContain(`session-${winterId}@`);

    await settle(() => settingsAction({ request: formRequest("/settings", { intent: "renew-calendar" }, { cookie: ann.cookie }), context, params: {} }));
    expect(statusOf(await settle(() => privateFeed({ request: getRequest(`/calendar/${token}.ics`), context, params: { token: `${token}.ics` } })))).toBe(404);
    await settle(() => settingsAction({ request: formRequest("/settings", { intent: "revoke-calendar" }, { cookie: ann.cookie }), context, params: {} }));
    expect(dataOf<{ calendarUrl: string | null }>(await settings()).calendarUrl).toBeNull();
  });

  it("answers 404 to guesses", async () => {
    for (const token of ["x", "a".repeat(32) + ".ics", "../../etc/passwd"]) {
      expect(statusOf(await settle(() => privateFeed({ request: getRequest(`/calendar/${token}`), context, params: { token } })))).toBe(404);
    }
  });
});

describe("the agenda page", () => {
  it("lists upcoming sessions soonest first and pages with a keyset cursor", async () => {
    const id = initiativeBy(host.id, { title: "Agendapunt" });
    for (let i = 1; i <= 25; i++) sessionOf(id, host.id, { startsIn: i * 3_600_000 });
    const first = dataOf<{ items: { startsAt: number; id: number }[]; next: { startsAt: number; id: number } | null }>(
      await agendaLoader({ request: getRequest("/agenda?q=agendapunt"), context, params: {} }),
    );
    expect(first.items).toHaveLength(20);
    const starts = first.items.map((s) => s.startsAt);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const second = dataOf<{ items: unknown[] }>(
      await agendaLoader({ request: getRequest(`/agenda?q=agendapunt&after=${first.next!.startsAt}-${first.next!.id}`), context, params: {} }),
    );
    expect(second.items).toHaveLength(5);
  });
});
