// Series of sessions, venues and online sessions through the real route actions (issue 14): a host
// repeats a session with venues taking turns; worst inputs are refused with a message and write
// nothing; "this and all later" edits and cancellations reach every later session and its people.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { toLocalDateTimeInput } from "~/lib/time";
import { register } from "~/models/registrations.server";
import { action as addSessionAction, loader as addSessionLoader } from "~/routes/initiatives.$id_.sessions";
import { action as editSessionAction, loader as editSessionLoader } from "~/routes/sessions.$id_.edit";
import { loader as agendaLoader } from "~/routes/agenda";
import { loader as sessionLoader } from "~/routes/sessions.$id";
import { initiativeBy, zone } from "../support/fixtures";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let host: Member, stranger: Member, held: Member, ann: Member, bob: Member;
let initiativeId: number;
let venueA: number, venueB: number, venueC: number;

const nextYear = new Date().getUTCFullYear() + 1;
const local = (ms: number | Date) => toLocalDateTimeInput(ms, zone);

type SessionRow = {
  id: number; starts_at: number; ends_at: number; place: string; venue_id: number | null; host_organisation: string; host_organisation_id: number | null;
  series_id: string | null; mode: string; online_url: string; capacity: number | null; cancelled_at: number | null;
};
const rowsOf = (where = sql`1`) => db().all<SessionRow>(sql`SELECT * FROM sessions WHERE initiative_id = ${initiativeId} AND ${where} ORDER BY starts_at, id`);
const count = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions`).n;
const outboxFor = (memberId: string, kind: string) => db().all<{ body: string }>(sql`SELECT body FROM outbox WHERE member_id = ${memberId} AND kind = ${kind}`);

function organisation(name: string) {
  return db().get<{ id: number }>(sql`INSERT INTO organisations (slug, name, name_key) VALUES (${name.toLowerCase().replace(/\W+/g, "-")}, ${name}, ${name.toLowerCase()}) RETURNING id`).id;
}
function venue(name: string, address: string, organisationId: number | null) {
  return db().get<{ id: number }>(sql`
    INSERT INTO venues (organisation_id, name, address, step_free, hearing_loop, public_transport, updated_at)
    VALUES (${organisationId}, ${name}, ${address}, 1, 0, 1, ${Date.now()}) RETURNING id`).id;
}

beforeAll(async () => {
  [host, stranger, held, ann, bob] = await Promise.all(["Host", "Vreemde", "Vastgehouden", "Ann", "Bob"].map((n) => memberWithSession(n)));
  initiativeId = initiativeBy(host.id, { title: "Leren in de wijk" });
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${held.id}, ${Date.now()}, ${Date.now()})`);
  db().run(sql`UPDATE members SET posting_held_at = ${Date.now()} WHERE id = ${held.id}`);
  const lindenveen = organisation("GGZ Lindenveen");
  const brug = organisation("De Brug");
  venueA = venue("Zaal De Linde", "Lindelaan 1, Utrecht", lindenveen);
  venueB = venue("Bibliotheek Oost", "Oostweg 5, Utrecht", null);
  venueC = venue("Buurthuis De Brug", "Brugstraat 9, Utrecht", brug);
});

const add = (fields: Record<string, string | string[]>, cookie = host.cookie) =>
  settle(() => addSessionAction({ request: formRequest(`/initiatives/${initiativeId}/sessions`, fields, { cookie }), context, params: { id: String(initiativeId) } } as never));
const edit = (sessionId: number, fields: Record<string, string | string[]>, cookie = host.cookie) =>
  settle(() => editSessionAction({ request: formRequest(`/sessions/${sessionId}/edit`, fields, { cookie }), context, params: { id: String(sessionId) } } as never));

const base = { startsAt: `${nextYear}-03-16T19:00`, endsAt: `${nextYear}-03-16T21:00`, place: "", capacity: "" };

describe("adding a series", () => {
  it("offers the venues grouped by organisation", async () => {
    const page = dataOf<{ venues: { organisation: string | null; venues: { id: number }[] }[] }>(
      await settle(() => addSessionLoader({ request: getRequest(`/initiatives/${initiativeId}/sessions`, { cookie: host.cookie }), context, params: { id: String(initiativeId) } } as never)),
    );
    expect(page.venues.map((g) => g.organisation)).toEqual(["De Brug", "GGZ Lindenveen", null]);
  });

  it("adds every week, at 19:00 local across the spring change, with venues taking turns", async () => {
    const result = await add({ ...base, repeat: "weekly", count: "4", venueId: [String(venueA), String(venueB), String(venueC), "", ""] });
    expect(statusOf(result)).toBe(303);
    const rows = rowsOf(sql`series_id IS NOT NULL`);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.series_id)).size).toBe(1);
    expect(rows.map((r) => local(r.starts_at))).toEqual([`${nextYear}-03-16T19:00`, `${nextYear}-03-23T19:00`, `${nextYear}-03-30T19:00`, `${nextYear}-04-06T19:00`]);
    expect(rows.map((r) => r.venue_id)).toEqual([venueA, venueB, venueC, venueA]);
    expect(rows[0].place).toBe("Zaal De Linde, Lindelaan 1, Utrecht");
    // An empty host organisation comes from the venue's organisation; a venue of nobody leaves it empty.
    expect(rows.map((r) => r.host_organisation)).toEqual(["GGZ Lindenveen", "", "De Brug", "GGZ Lindenveen"]);
    expect(rows[0].host_organisation_id).not.toBeNull();
    expect(db().get(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'session.added' AND subject_id IN (${sql.join(rows.map((r) => sql`${String(r.id)}`), sql`, `)})`)).toEqual({ n: 4 });
  });

  it("answers the same series sent twice at once with one series", async () => {
    const fields = { ...base, startsAt: `${nextYear}-09-01T10:00`, endsAt: `${nextYear}-09-01T12:00`, place: "Het Atelier", repeat: "biweekly", count: "5" };
    const [a, b] = await Promise.all([add(fields), add(fields)]);
    expect([statusOf(a), statusOf(b)]).toEqual([303, 303]);
    const rows = rowsOf(sql`place = 'Het Atelier'`);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.series_id)).size).toBe(1);
  });

  it("keeps a typed host organisation and a one-off place; an online session keeps its link", async () => {
    const result = await add({ ...base, startsAt: `${nextYear}-05-04T19:00`, endsAt: `${nextYear}-05-04T20:00`, place: "Café Boven", hostOrganisation: "Eigen club", mode: "hybrid", onlineUrl: "https://meet.example.org/abc" });
    expect(statusOf(result)).toBe(303);
    const [row] = rowsOf(sql`place = 'Café Boven'`);
    expect(row).toMatchObject({ venue_id: null, host_organisation: "Eigen club", mode: "hybrid", online_url: "https://meet.example.org/abc", series_id: null });
  });

  const longUrl = `https://meet.example.org/${"a".repeat(10_000)}`;
  it.each<[string, Record<string, string | string[]>, string, string]>([
    ["count 0", { repeat: "weekly", count: "0" }, "count", "session.count.invalid"],
    ["count 53", { repeat: "weekly", count: "53" }, "count", "session.count.invalid"],
    ["count 10,000", { repeat: "weekly", count: "10000" }, "count", "session.count.invalid"],
    ["a count that is not a number", { repeat: "weekly", count: "vier" }, "count", "session.count.invalid"],
    ["a count like 1e3", { repeat: "weekly", count: "1e3" }, "count", "session.count.invalid"],
    ["an unknown repeat", { repeat: "daily", count: "3" }, "repeat", "session.repeat.invalid"],
    ["an unknown venue", { venueId: "999999" }, "venueId", "session.venue.unknown"],
    ["a venue that is not a number", { venueId: "'; DROP TABLE venues; --" }, "venueIds", "session.venue.unknown"],
    ["60 venues", { repeat: "weekly", count: "3", venueId: Array.from({ length: 60 }, () => "1") }, "venueIds", "session.venue.tooMany"],
    ["an online session without a link", { mode: "online" }, "onlineUrl", "session.onlineUrl.required"],
    ["a javascript: link", { mode: "online", onlineUrl: "javascript:alert(1)" }, "onlineUrl", "session.onlineUrl.invalid"],
    ["a data: link", { mode: "hybrid", onlineUrl: "data:text/html,<script>alert(1)</script>" }, "onlineUrl", "session.onlineUrl.invalid"],
    ["a link of 10,000 characters", { mode: "online", onlineUrl: longUrl }, "onlineUrl", "session.onlineUrl.tooLong"],
    ["a link with a space", { mode: "online", onlineUrl: "https://meet.example.org/a b" }, "onlineUrl", "session.onlineUrl.invalid"],
    ["an unknown mode", { mode: "teleport" }, "mode", "session.mode.invalid"],
    ["a series through the skipped hour", { startsAt: `${nextYear}-03-21T02:30`, endsAt: `${nextYear}-03-21T03:30`, repeat: "weekly", count: "3" }, "startsAt", "session.time.skipped"],
  ])("refuses %s with a message and writes nothing", async (_name, change, field, message) => {
    // Sundays in late March: the last one is the night the clocks go forward.
    const firstSunday = (() => {
      const d = new Date(Date.UTC(nextYear, 2, 31));
      d.setUTCDate(31 - d.getUTCDay() - 7);
      return d.toISOString().slice(0, 10);
    })();
    const fields = field === "startsAt" ? { ...change, startsAt: `${firstSunday}T02:30`, endsAt: `${firstSunday}T03:30` } : change;
    const before = count();
    const result = await add({ ...base, ...fields });
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(result).errors[field]).toBe(message);
    expect(count()).toBe(before);
  });

  it("refuses a member who is not a host (403), and a held host (403)", async () => {
    const before = count();
    expect(statusOf(await add({ ...base, repeat: "weekly", count: "3" }, stranger.cookie))).toBe(403);
    expect(statusOf(await add({ ...base, repeat: "weekly", count: "3" }, held.cookie))).toBe(403);
    expect(count()).toBe(before);
  });
});

describe("a session of a series", () => {
  let ids: number[];
  beforeAll(async () => {
    expect(statusOf(await add({ ...base, startsAt: `${nextYear}-10-12T19:00`, endsAt: `${nextYear}-10-12T21:00`, place: "Reekszaal", repeat: "weekly", count: "4", capacity: "10", venueId: ["", String(venueB)] }))).toBe(303);
    const seriesId = rowsOf(sql`place = 'Reekszaal'`)[0].series_id;
    ids = rowsOf(sql`series_id = ${seriesId}`).map((r) => r.id);
    expect(ids).toHaveLength(4);
    for (const id of ids) register(id, ann.id);
    register(ids[3], bob.id);
  });

  const fieldsOf = (row: SessionRow) => ({
    startsAt: local(row.starts_at),
    endsAt: local(row.ends_at),
    place: row.venue_id ? "" : row.place,
    venueId: row.venue_id ? String(row.venue_id) : "",
    capacity: row.capacity === null ? "" : String(row.capacity),
    hostOrganisation: row.host_organisation,
    mode: row.mode,
    onlineUrl: row.online_url,
  });
  const byId = (id: number) => rowsOf(sql`id = ${id}`)[0];

  it("takes turns between the one-off place and a venue", () => {
    expect(ids.map((id) => byId(id).venue_id)).toEqual([null, venueB, null, venueB]);
    expect(byId(ids[0]).place).toBe("Reekszaal");
  });

  it("offers 'only this / this and all later' on the edit page of a series", async () => {
    const page = dataOf<{ laterInSeries: number }>(await settle(() => editSessionLoader({ request: getRequest(`/sessions/${ids[1]}/edit`, { cookie: host.cookie }), context, params: { id: String(ids[1]) } } as never)));
    expect(page.laterInSeries).toBe(2);
  });

  it("changes only this session", async () => {
    const result = await edit(ids[0], { ...fieldsOf(byId(ids[0])), capacity: "12", scope: "this" });
    expect(statusOf(result)).toBe(303);
    expect(ids.map((id) => byId(id).capacity)).toEqual([12, 10, 10, 10]);
  });

  it("moves this and all later sessions by the same change, in local time, keeping each one's own venue", async () => {
    const second = byId(ids[1]);
    const mailsBefore = outboxFor(ann.id, "session-changed").length;
    // 19:00 becomes 19:30–21:30 a day later, for the later ones across the autumn change too.
    const startsAt = local(second.starts_at).replace(/(\d{2})T19:00$/, (_, d) => `${String(Number(d) + 1).padStart(2, "0")}T19:30`);
    const result = await edit(ids[1], { ...fieldsOf(second), startsAt, endsAt: startsAt.replace("19:30", "21:30"), capacity: "15", scope: "later" });
    expect(statusOf(result)).toBe(303);
    const rows = ids.map(byId);
    expect(rows.map((r) => local(r.starts_at).slice(11))).toEqual(["19:00", "19:30", "19:30", "19:30"]);
    expect(rows.map((r) => local(r.ends_at).slice(11))).toEqual(["21:00", "21:30", "21:30", "21:30"]);
    expect(rows.map((r) => local(r.starts_at).slice(0, 10))).toEqual([`${nextYear}-10-12`, `${nextYear}-10-20`, `${nextYear}-10-27`, `${nextYear}-11-03`]);
    expect(rows.map((r) => r.capacity)).toEqual([12, 15, 15, 15]);
    expect(rows.map((r) => r.venue_id)).toEqual([null, venueB, null, venueB]);
    // Ann is on all of them: one mail tells her of every moved session, with its old and new time.
    const mails = outboxFor(ann.id, "session-changed").slice(mailsBefore);
    expect(mails).toHaveLength(1);
    expect(mails[0].body).toContain("3 bijeenkomsten van Leren in de wijk zijn gewijzigd");
    expect(mails[0].body.match(/^Was: .*19:00–21:00$/gm)).toHaveLength(3);
    expect(mails[0].body.match(/^Wordt: .*19:30–21:30$/gm)).toHaveLength(3);
  });

  it("cancels this and all later sessions; everyone signed up for each hears of it", async () => {
    const result = await edit(ids[2], { intent: "cancel-session", scope: "later", reason: "De reeks stopt" });
    expect(statusOf(result)).toBe(303);
    expect(ids.map((id) => byId(id).cancelled_at !== null)).toEqual([false, false, true, true]);
    expect(outboxFor(ann.id, "session-cancelled")).toHaveLength(2);
    expect(outboxFor(bob.id, "session-cancelled")).toHaveLength(1);
  });

  it("cancels only this session when asked so", async () => {
    const result = await edit(ids[0], { intent: "cancel-session", scope: "this", reason: "Ziek" });
    expect(statusOf(result)).toBe(303);
    expect(ids.map((id) => byId(id).cancelled_at !== null)).toEqual([true, false, true, true]);
  });
});

describe("what pages show", () => {
  it("shows the venue with its access in words, and the mode", async () => {
    const [row] = rowsOf(sql`venue_id = ${venueA}`);
    const page = dataOf<{ session: { mode: string; venue: { id: number; name: string; stepFree: boolean; hearingLoop: boolean } } }>(
      await settle(() => sessionLoader({ request: getRequest(`/sessions/${row.id}`), context, params: { id: String(row.id) } } as never)),
    );
    expect(page.session.mode).toBe("onsite");
    expect(page.session.venue).toMatchObject({ id: venueA, name: "Zaal De Linde", stepFree: true, hearingLoop: false });
  });

  it("filters the agenda on online and on site; a hybrid session is in both", async () => {
    const agenda = async (query: string) =>
      dataOf<{ items: { place: string; mode: string }[] }>(await settle(() => agendaLoader({ request: getRequest(`/agenda?${query}`), context, params: {} } as never))).items;
    const online = await agenda("mode=online");
    expect(online.length).toBeGreaterThan(0);
    expect(online.every((s) => s.mode !== "onsite")).toBe(true);
    expect(online.some((s) => s.place === "Café Boven")).toBe(true);
    const onsite = await agenda("mode=onsite");
    expect(onsite.every((s) => s.mode !== "online")).toBe(true);
    expect(onsite.some((s) => s.place === "Café Boven")).toBe(true);
    // Anything else is no filter.
    expect((await agenda("mode=anything")).length).toBeGreaterThanOrEqual(onsite.length);
  });
});
