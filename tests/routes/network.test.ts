// The network page's data: which organisations are connected, with which weights, what each
// line stands for, and who is left out (members-only profiles for visitors, members who left,
// hidden initiatives). Snapshot-free: every figure is worked out by hand from the fixture.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { countTakingPart } from "~/lib/connections";
import { db } from "~/lib/db.server";
import { deleteAccount } from "~/models/account.server";
import { monthlyActivity, organisations, organisationsOf, sharedInitiatives, takingPartCounts } from "~/models/network.server";
import { markAttendance, register, setInterest } from "~/models/registrations.server";
import { loader as networkLoader } from "~/routes/network";
import { context, dataOf, getRequest, memberWithSession } from "../support/requests";
import { day, hour, initiativeBy, sessionOf } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let library: Member, wijkteam: Member, buurthuis: Member, secretive: Member, leaver: Member;
let taalcafe: number, repair: number, hiddenOne: number;

beforeAll(async () => {
  library = await memberWithSession("Bibliothecaris", { organisation: "Bibliotheek" });
  wijkteam = await memberWithSession("Wijkwerker", { organisation: "Wijkteam" });
  buurthuis = await memberWithSession("Beheerder", { organisation: "Buurthuis" });
  secretive = await memberWithSession("Stille", { organisation: "Geheim Genootschap" });
  leaver = await memberWithSession("Vertrekker", { organisation: "Vertrokken BV" });
  db().run(sql`UPDATE members SET profile_visibility = 'members' WHERE id = ${secretive.id}`);

  // Taalcafé: hosted by the library; the wijkteam signs up; the buurthuis hosts one session.
  taalcafe = initiativeBy(library.id, { title: "Taalcafé" });
  const first = sessionOf(taalcafe, library.id, { startsIn: 2 * day });
  db().run(sql`UPDATE sessions SET host_organisation = 'Buurthuis' WHERE id = ${first}`);
  register(first, wijkteam.id);
  register(first, secretive.id);
  register(first, leaver.id);

  // Repair café: hosted by the wijkteam; the library says "I'm in"; the buurthuis attended.
  // Created before its session started: only a host from before the start may mark attendance
  // (governance v2 §2).
  repair = initiativeBy(wijkteam.id, { title: "Repair café", kind: "activity" }, new Date(Date.now() - 3 * day));
  setInterest(repair, library.id, true);
  const past = sessionOf(repair, wijkteam.id, { now: new Date(Date.now() - 3 * day), startsIn: day });
  register(past, buurthuis.id, new Date(Date.now() - 3 * day));
  markAttendance(past, wijkteam.id, buurthuis.id, true, new Date(Date.now() - 2 * day + hour));

  // Hidden: does not count.
  hiddenOne = initiativeBy(library.id, { title: "Verborgen" });
  setInterest(hiddenOne, buurthuis.id, true);
  db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()} WHERE id = ${hiddenOne}`);

  deleteAccount(leaver.id);

  // The Buurthuis member has a voice as a founder while the network starts up (governance v2 §1):
  // attending the repair café alone gives none, since no witnesses checked in there.
  makeFounder(buurthuis.id, 4 * day);
});

const weights = (list: { a: string; b: string; weight: number }[]) => Object.fromEntries(list.map((c) => [`${c.a} + ${c.b}`, c.weight]));

describe("the map of cross-connections", () => {
  it("links two organisations once for every initiative both took part in, in any role", () => {
    expect(weights(takingPartCounts(false).connections)).toEqual({
      "Bibliotheek + Buurthuis": 2, // Taalcafé (session host) and Repair café (attended / I'm in)
      "Bibliotheek + Wijkteam": 2, // Taalcafé (host / signed up) and Repair café (I'm in / host)
      "Buurthuis + Wijkteam": 2,
    });
    // And each of them took part in both initiatives (what /organisations shows per organisation).
    expect(Object.fromEntries(takingPartCounts(false).initiatives)).toEqual({ Bibliotheek: 2, Buurthuis: 2, Wijkteam: 2 });
    // The newest first, for the organisation's page (the hidden one left out).
    const newest = Object.fromEntries(takingPartCounts(false).newest);
    const byId = [taalcafe, repair].sort((a, b) => b - a);
    expect(newest).toEqual({ Bibliotheek: byId, Buurthuis: byId, Wijkteam: byId });
  });

  it("keeps the fifty newest initiatives of an organisation, newest first, however many it took part in", () => {
    const rows: [number, string][] = [];
    for (let id = 1; id <= 237; id++) {
      rows.push([id, "Groot"]);
      if (id % 3 === 0) rows.push([id, "Klein"]);
    }
    rows.push([240, "Enkel"]);
    const newest = Object.fromEntries(countTakingPart(rows).newest);
    expect(newest.Groot).toEqual(Array.from({ length: 50 }, (_, i) => 237 - i));
    expect(newest.Klein).toEqual(Array.from({ length: 50 }, (_, i) => 237 - 3 * i));
    expect(newest.Enkel).toEqual([240]);
    expect(Object.fromEntries(countTakingPart(rows).initiatives)).toEqual({ Groot: 237, Klein: 79, Enkel: 1 });
  });

  it("counts members-only profiles for members, and never members who left", () => {
    const forMembers = weights(takingPartCounts(true).connections);
    expect(forMembers["Bibliotheek + Geheim Genootschap"]).toBe(1);
    expect(forMembers["Geheim Genootschap + Wijkteam"]).toBe(1);
    expect(Object.keys(forMembers).some((k) => k.includes("Vertrokken"))).toBe(false);
    expect(organisationsOf(taalcafe, false)).toEqual(["Bibliotheek", "Buurthuis", "Wijkteam"]);
    expect(organisationsOf(taalcafe, true)).toEqual(["Bibliotheek", "Buurthuis", "Geheim Genootschap", "Wijkteam"]);
  });

  it("lists what a line stands for: the initiatives both took part in, not hidden ones", () => {
    expect(sharedInitiatives("Bibliotheek", "Buurthuis", false).map((i) => i.title)).toEqual(["Repair café", "Taalcafé"]);
    expect(sharedInitiatives("Bibliotheek", "Vertrokken BV", false)).toEqual([]);
  });

  it("counts members and members with a voice per organisation", () => {
    const byName = Object.fromEntries(organisations(false).map((o) => [o.name, o]));
    expect(byName.Buurthuis).toEqual({ name: "Buurthuis", members: 1, voices: 1 }); // a founder
    // Hosting the repair café (a meeting without two witnesses) gives no voice (governance v2 §1).
    expect(byName.Wijkteam).toEqual({ name: "Wijkteam", members: 1, voices: 0 });
    expect(byName.Bibliotheek.members).toBe(1);
    expect(byName["Geheim Genootschap"]).toBeUndefined();
    expect(byName["Vertrokken BV"]).toBeUndefined();
  });

  it("counts sessions and attendance per month in the community's time zone, twelve months", () => {
    const months = monthlyActivity("Europe/Amsterdam");
    expect(months).toHaveLength(12);
    const total = months.reduce((sum, m) => ({ sessions: sum.sessions + m.sessions, attendance: sum.attendance + m.attendance }), { sessions: 0, attendance: 0 });
    // Two sessions, this month or the next (the taalcafé is two days ahead): at least the past one counts.
    expect(total.attendance).toBe(1);
    expect(total.sessions).toBeGreaterThanOrEqual(1);
  });

  it("serves the page with the line chosen, and ignores names that are not on the map", async () => {
    const page = dataOf<{ between: { a: string; b: string; initiatives: { title: string }[] } | null; layout: { nodes: { name: string }[] } }>(
      await networkLoader({ request: getRequest(`/network?between=Wijkteam&and=Bibliotheek`), context, params: {} }),
    );
    expect(page.between?.initiatives.map((i) => i.title)).toEqual(["Repair café", "Taalcafé"]);
    expect(page.layout.nodes.map((n) => n.name).sort()).toEqual(["Bibliotheek", "Buurthuis", "Wijkteam"]);
    const unknown = dataOf<{ between: unknown }>(await networkLoader({ request: getRequest(`/network?between=Wijkteam&and=<script>`), context, params: {} }));
    expect(unknown.between).toBeNull();
  });
});
