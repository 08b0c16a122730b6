// The attack suite of governance version 2 (docs/governance.md §0): attempts to capture the
// network's governance, played through the real HTTP server from many loopback addresses, with
// time moved by writing timestamps in the server's database (never a clock switch in the app).
import http from "node:http";
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerDatabase, passTime } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const zone = "Europe/Amsterdam";

type Answer = { status: number; location: string | null; body: string; setCookie: string | null };

/** One person at one address: requests from 127.0.0.<n>, with their login cookie once they have one. */
class Person {
  cookie: string | null = null;
  id = "";
  constructor(
    readonly server: RunningServer,
    readonly address: string,
    readonly name: string,
  ) {}

  request(method: "GET" | "POST", path: string, fields?: Record<string, string>): Promise<Answer> {
    const url = new URL(path, this.server.url);
    const body = fields ? new URLSearchParams(fields).toString() : undefined;
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method,
          localAddress: this.address,
          headers: {
            "Accept-Language": "nl",
            ...(this.cookie ? { Cookie: this.cookie } : {}),
            ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: this.server.url } : {}),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body: text, setCookie: res.headers["set-cookie"]?.[0] ?? null }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  get = (path: string) => this.request("GET", path);
  post = (path: string, fields: Record<string, string> = {}) => this.request("POST", path, fields);
}

let addressCounter = 10;
const nextAddress = () => `127.0.${Math.floor(addressCounter / 250)}.${(addressCounter++ % 250) + 2}`;

/** Signs up through the real form; returns the person, logged in. */
async function signUp(server: RunningServer, sqlite: Database.Database, name: string, address = nextAddress()): Promise<Person> {
  const person = new Person(server, address, name);
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${randomBytes(3).toString("hex")}@example.org`;
  const answer = await person.post("/signup", { email, password: "a long enough password", displayName: name });
  expect(answer.status, `sign-up of ${name}: ${answer.body.slice(0, 300)}`).toBe(303);
  person.cookie = answer.setCookie!.split(";")[0];
  person.id = (sqlite.prepare("SELECT id FROM members WHERE email = ?").get(email) as { id: string }).id;
  return person;
}

/** Makes members founders (as if invited while the network started), with accounts a month old. */
function founders(sqlite: Database.Database, people: Person[]) {
  for (const p of people) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(Date.now() - 30 * day, Date.now() - 30 * day, p.id);
}

function localInput(at: number) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

/** An initiative with one session starting `startsIn` from now, made through the real forms. */
async function organise(host: Person, title: string, startsIn: number) {
  const created = await host.post("/initiatives/new", { title, summary: "Samen leren.", kind: "course", body: "", tags: "", place: "Buurthuis", target: "" });
  expect(created.status, created.body.slice(0, 400)).toBe(303);
  const initiativeId = Number(/\/initiatives\/(\d+)/.exec(created.location!)![1]);
  const start = Math.ceil((Date.now() + startsIn) / minute) * minute;
  const added = await host.post(`/initiatives/${initiativeId}/sessions`, { startsAt: localInput(start), endsAt: localInput(start + 2 * hour), place: "Buurthuis", capacity: "" });
  expect(added.status, added.body.slice(0, 400)).toBe(303);
  // The initiative's page says it was saved.
  expect(added.location).toBe(`/initiatives/${initiativeId}?done=saved#sessions-heading`);
  return initiativeId;
}

function sessionOf(sqlite: Database.Database, initiativeId: number) {
  return sqlite.prepare("SELECT id, checkin_code AS code FROM sessions WHERE initiative_id = ? ORDER BY id DESC LIMIT 1").get(initiativeId) as { id: number; code: string };
}

/** What a member's profile says about their voice, as the member sees it. */
async function voiceOf(person: Person, viewer = person): Promise<"earned" | "founder" | "bootstrap" | "none"> {
  const page = await viewer.get(`/members/${person.id}`);
  expect(page.status).toBe(200);
  if (page.body.includes("Heeft een stem: was bij") || page.body.includes("Heeft een stem: trok")) return "earned";
  if (page.body.includes("Heeft een stem als oprichter")) return "founder";
  if (page.body.includes("Heeft een stem omdat het netwerk nog opstart")) return "bootstrap";
  return "none";
}

async function voicesAmong(people: Person[]) {
  let n = 0;
  for (const p of people) if ((await voiceOf(p)) !== "none") n++;
  return n;
}

/** A server of its own for one describe block, started before its tests and stopped after. */
function ownServer() {
  const net = {} as { server: RunningServer; sqlite: Database.Database };
  beforeAll(async () => {
    net.server = await startServer({ SCHEDULER_INTERVAL_MS: "200" });
    net.sqlite = openServerDatabase(net.server.databasePath);
  });
  afterAll(async () => {
    net.sqlite?.close();
    await net.server?.stop();
  });
  return net;
}

const count = (sqlite: Database.Database, query: string, ...args: unknown[]) => (sqlite.prepare(query).pluck().get(...args) as number) ?? 0;

/** Lets the server's scheduler run (it runs every 200 ms in these tests). */
const schedulerTurn = () => new Promise((resolve) => setTimeout(resolve, 700));

describe("capture: a ring of fresh accounts, alone and with one insider", () => {
  const net = ownServer();
  let server: RunningServer;
  let sqlite: Database.Database;
  let anna: Person, bram: Person, chantal: Person;
  let realInitiative: number;
  const ring: Person[] = [];

  beforeAll(async () => {
    ({ server, sqlite } = net);
    // The real network: three founders; Anna runs a course whose meeting took place.
    anna = await signUp(server, sqlite, "Anna Verbeek");
    bram = await signUp(server, sqlite, "Bram Hoekstra");
    chantal = await signUp(server, sqlite, "Chantal Doornbos");
    founders(sqlite, [anna, bram, chantal]);
    realInitiative = await organise(anna, "Intervisie wijkteams", 3 * day);
    for (let i = 0; i < 10; i++) ring.push(await signUp(server, sqlite, `Puppet ${i}`));
  });


  it("400 simulated days of organising, hosting, checking each other in, \"I'm in\", co-host requests, flags and proposals: 0 voices, 0 host powers, 0 hidden, 0 decided", async () => {
    const realSession = sessionOf(sqlite, realInitiative);
    for (let round = 0; round < 8; round++) {
      const host = ring[round % ring.length];
      const theirs = await organise(host, `Ringoverleg ${round}`, 3 * day);
      const session = sessionOf(sqlite, theirs);
      // Three days later, five minutes into their own meeting, announced well ahead.
      passTime(sqlite, 3 * day - 5 * minute);
      for (const p of ring) expect((await p.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
      for (const p of ring.filter((p) => p !== host)) await host.post(`/sessions/${session.id}/attendance`, { memberId: p.id, present: "1" });
      // Reach for the real network: say "I'm in", ask to co-host, flag, propose, untick.
      for (const p of ring.slice(0, 4)) {
        await p.post(`/initiatives/${realInitiative}/interest`, { interested: "1" });
        expect((await p.post(`/initiatives/${realInitiative}/hosts`, { intent: "join" })).status).toBe(403);
        expect((await p.post(`/initiatives/${realInitiative}/flag`, { rule: "7. Respect en privacy.", reason: "spam" })).status).toBe(403);
        expect((await p.post(`/members/${anna.id}`, { intent: "flag", rule: "7. Respect en privacy.", reason: "spam" })).status).toBe(403);
        expect((await p.post("/proposals/new", { title: "Nieuwe spelregels", body: "", kind: "consent", scope: "network", days: "3", effect: "none" })).status).toBe(403);
        expect((await p.post("/proposals/new", { title: "Anna stopt", body: "", kind: "majority", scope: "initiative", initiativeId: String(realInitiative), days: "3", effect: "remove-host", hostId: anna.id })).status).toBe(403);
        expect((await p.post(`/sessions/${realSession.id}/attendance`, { memberId: bram.id, present: "0" })).status).toBe(403);
      }
      passTime(sqlite, 47 * day);
      await schedulerTurn();
      expect(await voicesAmong(ring), `round ${round}`).toBe(0);
    }
    // Fifty days a round: 400 days in all.
    expect(count(sqlite, "SELECT count(*) FROM hosts WHERE initiative_id = ? AND member_id <> ?", realInitiative, anna.id)).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM host_requests WHERE initiative_id = ?", realInitiative)).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM initiatives WHERE hidden_at IS NOT NULL")).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM members WHERE posting_held_at IS NOT NULL")).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM flags")).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM proposals")).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.started'")).toBe(0);
    // The founders still hold their voice: the bootstrap never ended.
    expect(await voiceOf(anna)).toBe("founder");
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'bootstrap.ended'")).toBe(0);
  });

  it("one insider with a voice checking in at the ring's meetings: still 0 new voices", async () => {
    for (let round = 0; round < 3; round++) {
      const host = ring[round];
      const theirs = await organise(host, `Ringoverleg met Anna ${round}`, 3 * day);
      const session = sessionOf(sqlite, theirs);
      passTime(sqlite, 3 * day - 5 * minute);
      expect((await anna.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
      for (const p of ring) await p.post(`/sessions/${session.id}/checkin`, { code: session.code });
      passTime(sqlite, 10 * day);
    }
    await schedulerTurn();
    expect(await voicesAmong(ring)).toBe(0);
    expect(await voiceOf(anna)).toBe("founder");
  });
});

describe("capture: two colluding witnesses and 30 puppets", () => {
  const net = ownServer();
  let server: RunningServer;
  let sqlite: Database.Database;
  let dirk: Person, eva: Person, femke: Person;
  const puppets: Person[] = [];

  beforeAll(async () => {
    ({ server, sqlite } = net);
    dirk = await signUp(server, sqlite, "Dirk");
    eva = await signUp(server, sqlite, "Eva");
    femke = await signUp(server, sqlite, "Femke");
    founders(sqlite, [dirk, eva, femke]);
    for (let i = 0; i < 30; i++) puppets.push(await signUp(server, sqlite, `Pop ${i}`));
    // Old enough accounts: a meeting counts once an account is a week old.
    passTime(sqlite, 8 * day);
  });


  it("a meeting put on the agenda an hour ahead gives nobody a voice", async () => {
    const id = await organise(puppets[0], "Snel overleg", hour);
    const session = sessionOf(sqlite, id);
    passTime(sqlite, hour - 5 * minute);
    for (const w of [dirk, eva]) expect((await w.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    for (const p of puppets.slice(0, 10)) await p.post(`/sessions/${session.id}/checkin`, { code: session.code });
    passTime(sqlite, 8 * day);
    await schedulerTurn();
    expect(await voicesAmong(puppets.slice(0, 10))).toBe(0);
  });

  it("voices only after 48 hours' notice and a pending week, at most five a week", async () => {
    const id = await organise(puppets[1], "Poppenkast", 3 * day);
    const session = sessionOf(sqlite, id);
    passTime(sqlite, 3 * day - 5 * minute);
    for (const w of [dirk, eva]) expect((await w.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    for (const p of puppets) expect((await p.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    // The pending week: nothing yet.
    passTime(sqlite, 6 * day + 23 * hour);
    await schedulerTurn();
    expect(await voicesAmong(puppets)).toBe(0);
    // A week after the meeting: the growth brake lets five start, and says so in the log.
    passTime(sqlite, 2 * hour);
    await schedulerTurn();
    expect(await voicesAmong(puppets)).toBe(5);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.started'")).toBe(5);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.held-back'")).toBe(25);
    // Five earned voices end the bootstrap: founders who earned none have no voice now.
    expect(await voiceOf(femke)).toBe("none");
  });

  it("once the bootstrap ended, the two founders are no witnesses without an earned voice: their next meeting gives nobody a voice", async () => {
    const extra: Person[] = [];
    for (let i = 0; i < 5; i++) extra.push(await signUp(server, sqlite, `Pop extra ${i}`));
    passTime(sqlite, 8 * day);
    const id = await organise(extra[0], "Poppenkast twee", 3 * day);
    const session = sessionOf(sqlite, id);
    passTime(sqlite, 3 * day - 5 * minute);
    for (const w of [dirk, eva]) expect((await w.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    for (const p of extra) await p.post(`/sessions/${session.id}/checkin`, { code: session.code });
    passTime(sqlite, 8 * day);
    await schedulerTurn();
    expect(await voicesAmong(extra)).toBe(0);
    // Meanwhile the first meeting's voices kept to the brake: 27 days after it, at most 5 a week.
    const started = count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.started'");
    expect(started).toBeGreaterThan(5);
    expect(started).toBeLessThanOrEqual(5 * 3);
  });
});

describe("capture: voiding a fake meeting during its pending week", () => {
  const net = ownServer();
  let server: RunningServer;
  let sqlite: Database.Database;
  let gijs: Person, hanna: Person, ilse: Person;
  const puppets: Person[] = [];

  beforeAll(async () => {
    ({ server, sqlite } = net);
    gijs = await signUp(server, sqlite, "Gijs");
    hanna = await signUp(server, sqlite, "Hanna");
    ilse = await signUp(server, sqlite, "Ilse");
    founders(sqlite, [gijs, hanna, ilse]);
    for (let i = 0; i < 12; i++) puppets.push(await signUp(server, sqlite, `Stroman ${i}`));
    passTime(sqlite, 8 * day);
  });


  it("three members hide the meeting's initiative: every voice it would give is voided, and the log says so", async () => {
    const id = await organise(puppets[0], "Nepbijeenkomst", 3 * day);
    const session = sessionOf(sqlite, id);
    passTime(sqlite, 3 * day - 5 * minute);
    for (const w of [gijs, hanna]) await w.post(`/sessions/${session.id}/checkin`, { code: session.code });
    for (const p of puppets) await p.post(`/sessions/${session.id}/checkin`, { code: session.code });
    passTime(sqlite, 3 * day);
    // Within the week the network sees it: the witnesses (founders with a voice) hide it.
    for (const w of [gijs, hanna, ilse]) {
      const flagged = await w.post(`/initiatives/${id}/flag`, { rule: "7. Respect en privacy.", reason: "Nepbijeenkomst om stemmen te maken" });
      expect(flagged.status, flagged.body.slice(0, 300)).toBeLessThan(400);
    }
    expect(count(sqlite, "SELECT count(*) FROM initiatives WHERE id = ? AND hidden_at IS NOT NULL", id)).toBe(1);
    passTime(sqlite, 10 * day);
    await schedulerTurn();
    expect(await voicesAmong(puppets)).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.voided'")).toBe(12);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.started'")).toBe(0);
    // The founders keep theirs: the bootstrap did not end.
    expect(await voiceOf(ilse)).toBe("founder");
  });
});

describe("capture: a fresh network's bootstrap", () => {
  const net = ownServer();
  let server: RunningServer;
  let sqlite: Database.Database;
  const founding: Person[] = [];
  const late: Person[] = [];

  beforeAll(() => {
    ({ server, sqlite } = net);
  });

  it("the first account is a founder and invites three more by mail; the log records it without the address", async () => {
    founding.push(await signUp(server, sqlite, "Kim Eerste"));
    expect(count(sqlite, "SELECT count(*) FROM members WHERE founder_at IS NOT NULL")).toBe(1);
    // A founder's voice counts once the account is a day old.
    expect(await voiceOf(founding[0])).toBe("none");
    passTime(sqlite, 25 * hour);
    expect(await voiceOf(founding[0])).toBe("founder");
    for (const name of ["Lotte", "Mo", "Nina"]) {
      const email = `${name.toLowerCase()}@example.org`;
      expect((await founding[0].post("/founders", { email })).status).toBe(200);
      const mail = sqlite.prepare("SELECT body FROM outbox WHERE to_address = ? AND kind = 'founder-invitation'").get(email) as { body: string };
      const path = /\/founders\/[A-Za-z0-9_-]{43}/.exec(mail.body)![0];
      const person = await signUp(server, sqlite, name);
      expect((await person.get(path)).status).toBe(200);
      expect((await person.post(path)).status).toBe(303);
      // The link works once.
      expect((await person.post(path)).status).toBe(404);
      founding.push(person);
    }
    expect(count(sqlite, "SELECT count(*) FROM members WHERE founder_at IS NOT NULL")).toBe(4);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'founder.invited'")).toBe(3);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE detail LIKE '%@example.org%'")).toBe(0);
    // Someone who is not a founder cannot invite.
    const stranger = await signUp(server, sqlite, "Onbekend");
    expect((await stranger.post("/founders", { email: "x@example.org" })).status).toBe(403);
  });

  it("five late sign-ups from one address organise their own meetings: they cannot end the bootstrap or take the founders' voice", async () => {
    const address = nextAddress();
    for (let i = 0; i < 5; i++) late.push(await signUp(server, sqlite, `Laat ${i}`, address));
    passTime(sqlite, 8 * day);
    for (const startsIn of [2 * minute, 3 * day]) {
      const id = await organise(late[0], `Eigen overleg ${startsIn}`, startsIn);
      const session = sessionOf(sqlite, id);
      passTime(sqlite, startsIn - minute);
      for (const p of late) await p.post(`/sessions/${session.id}/checkin`, { code: session.code });
      passTime(sqlite, 8 * day);
    }
    await schedulerTurn();
    expect(await voicesAmong(late)).toBe(0);
    for (const f of founding) expect(await voiceOf(f)).toBe("founder");
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'bootstrap.ended'")).toBe(0);
    // Nor can they invite themselves in as founders.
    expect((await late[0].post("/founders", { email: "laat@example.org" })).status).toBe(403);
  });

  it("the real members' story: newcomers at a course the founders attend earn a voice a week later, and decide together", async () => {
    const newcomers = [await signUp(server, sqlite, "Olga"), await signUp(server, sqlite, "Pieter"), await signUp(server, sqlite, "Rosa")];
    passTime(sqlite, 8 * day);
    const course = await organise(founding[0], "Cursus motiverende gespreksvoering", 4 * day);
    for (const n of newcomers) expect((await n.post(`/sessions/${sessionOf(sqlite, course).id}/register`)).status).toBe(303);
    const session = sessionOf(sqlite, course);
    passTime(sqlite, 4 * day - 5 * minute);
    for (const f of founding.slice(1)) expect((await f.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    for (const n of newcomers) expect((await n.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    passTime(sqlite, 3 * day);
    expect(await voiceOf(newcomers[0])).toBe("none");
    const pending = await newcomers[0].get(`/members/${newcomers[0].id}`);
    expect(pending.body).toContain("Een stem begint op");
    // Seven earn a voice at once (three newcomers, three founders who attended, Kim who hosted):
    // the growth brake starts five after a week and two a week later.
    passTime(sqlite, 5 * day);
    await schedulerTurn();
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.started'")).toBe(5);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.held-back'")).toBe(2);
    passTime(sqlite, 7 * day);
    await schedulerTurn();
    for (const n of newcomers) expect(await voiceOf(n)).toBe("earned");
    // Kim hosted it with others there: an earned voice too; the three other founders attended.
    expect(await voiceOf(founding[0])).toBe("earned");
    // Seven earned voices: the bootstrap has ended, in the log.
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'bootstrap.ended'")).toBe(1);
    // A newcomer proposes, the others consent, and at the deadline it is adopted.
    const opened = await newcomers[0].post("/proposals/new", { title: "Koffie voor iedereen", body: "", kind: "consent", scope: "network", days: "3", effect: "none" });
    expect(opened.status, opened.body.slice(0, 300)).toBe(303);
    const proposal = opened.location!;
    for (const p of [...newcomers, founding[0]]) expect((await p.post(proposal, { intent: "respond", position: "consent" })).status).toBe(303);
    passTime(sqlite, 3 * day + minute);
    await schedulerTurn();
    const outcome = sqlite.prepare("SELECT outcome FROM proposals WHERE id = ?").pluck().get(Number(proposal.split("/").pop())) as string;
    expect(JSON.parse(outcome)).toMatchObject({ adopted: true });
  });
});

describe("capture: a held member can do nothing of what a voice or hosting gives", () => {
  const net = ownServer();
  let server: RunningServer;
  let sqlite: Database.Database;
  let sara: Person, tom: Person, uma: Person, held: Person, other: Person;
  let heldInitiative: number, otherInitiative: number, heldSession: { id: number; code: string };

  beforeAll(async () => {
    ({ server, sqlite } = net);
    sara = await signUp(server, sqlite, "Sara");
    tom = await signUp(server, sqlite, "Tom");
    uma = await signUp(server, sqlite, "Uma");
    held = await signUp(server, sqlite, "Vera");
    other = await signUp(server, sqlite, "Wim");
    founders(sqlite, [sara, tom, uma, held]);
    heldInitiative = await organise(held, "Vera's kring", 3 * day);
    heldSession = sessionOf(sqlite, heldInitiative);
    otherInitiative = await organise(other, "Wim's kring", 5 * day);
    expect((await sara.post(`/sessions/${heldSession.id}/register`)).status).toBe(303);
    // Someone asks Vera to co-host; Vera could answer now.
    expect((await sara.post(`/initiatives/${heldInitiative}/hosts`, { intent: "join" })).status).toBe(303);
    // Two witnesses flag Vera (fewer than 10 voices: two are enough).
    for (const w of [sara, tom]) expect((await w.post(`/members/${held.id}`, { intent: "flag", rule: "7. Respect en privacy.", reason: "Stuurt reclame rond" })).status).toBeLessThan(400);
    expect(count(sqlite, "SELECT count(*) FROM members WHERE id = ? AND posting_held_at IS NOT NULL", held.id)).toBe(1);
  });


  it("has no voice, flags nothing, opens and answers no proposal", async () => {
    expect(await voiceOf(held)).toBe("none");
    expect((await held.post(`/initiatives/${otherInitiative}/flag`, { rule: "7. Respect en privacy.", reason: "x" })).status).toBe(403);
    expect((await held.post("/proposals/new", { title: "Iets", body: "", kind: "consent", scope: "network", days: "3", effect: "none" })).status).toBe(403);
    expect((await held.post("/proposals/new", { title: "Iets", body: "", kind: "consent", scope: "initiative", initiativeId: String(heldInitiative), days: "3", effect: "none" })).status).toBe(403);
    const proposal = (await sara.post("/proposals/new", { title: "Mag Vera terug?", body: "", kind: "majority", scope: "network", days: "3", effect: "none" })).location!;
    expect((await held.post(proposal, { intent: "respond", position: "for" })).status).toBe(403);
  });

  it("has no host powers: no edit, no sessions, no attendance, no mail, no list, no answering requests", async () => {
    const refused = (status: number) => expect([403, 404]).toContain(status);
    refused((await held.post(`/initiatives/${heldInitiative}/edit`, { title: "Nieuwe titel", summary: "x", kind: "course", body: "", tags: "", place: "", target: "" })).status);
    refused((await held.post(`/initiatives/${heldInitiative}/sessions`, { startsAt: localInput(Date.now() + 9 * day), endsAt: localInput(Date.now() + 9 * day + hour), place: "", capacity: "" })).status);
    refused((await held.post(`/sessions/${heldSession.id}/message`, { subject: "Kom allemaal", body: "Reclame" })).status);
    refused((await held.get(`/sessions/${heldSession.id}/participants.csv`)).status);
    const requestId = count(sqlite, "SELECT id FROM host_requests WHERE initiative_id = ?", heldInitiative);
    refused((await held.post(`/initiatives/${heldInitiative}/hosts`, { intent: "accept", request: String(requestId) })).status);
    passTime(sqlite, 3 * day - 5 * minute);
    refused((await held.post(`/sessions/${heldSession.id}/attendance`, { memberId: sara.id, present: "1" })).status);
    refused((await held.post(`/initiatives/${otherInitiative}/hosts`, { intent: "join" })).status);
    expect(count(sqlite, "SELECT count(*) FROM hosts WHERE member_id = ? AND initiative_id = ?", sara.id, heldInitiative)).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM outbox WHERE kind = 'host-message'")).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM initiatives WHERE title = 'Nieuwe titel'")).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM host_requests WHERE member_id = ?", held.id)).toBe(0);
  });
});

describe("capture: a check-in code that got out (ADR 051)", () => {
  const net = ownServer();

  it("accounts that checked in from elsewhere gain no voice once two founders who were there struck them, and the newcomers who came get the brake's places", async () => {
    const { server, sqlite } = net;
    const founding = [await signUp(server, sqlite, "Noor"), await signUp(server, sqlite, "Okke"), await signUp(server, sqlite, "Pim"), await signUp(server, sqlite, "Quinn")];
    founders(sqlite, founding);
    const newcomers = [await signUp(server, sqlite, "Roos"), await signUp(server, sqlite, "Sem")];
    const puppets: Person[] = [];
    for (let i = 0; i < 8; i++) puppets.push(await signUp(server, sqlite, `Elders ${i}`));
    passTime(sqlite, 8 * day);
    const course = await organise(founding[0], "Cursus oplossingsgericht werken", 4 * day);
    const session = sessionOf(sqlite, course);
    passTime(sqlite, 4 * day - 5 * minute);
    // The founders and the newcomers are in the room; the code got out and eight accounts check in from elsewhere.
    for (const p of [...founding.slice(1), ...newcomers, ...puppets]) expect((await p.post(`/sessions/${session.id}/checkin`, { code: session.code })).status).toBe(303);
    passTime(sqlite, 3 * hour);
    // Two founders who were there did not see seven of them; nobody noticed the eighth.
    const [unnoticed, ...noticed] = puppets;
    for (const p of noticed) for (const f of founding.slice(1, 3)) expect((await f.post(`/sessions/${session.id}/attendance`, { intent: "unseen", memberId: p.id })).status).toBe(303);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'attendance.struck'")).toBe(7);
    // Seven earned a voice (Noor who hosted, the three founders, the two newcomers, the unnoticed
    // account): the growth brake starts five a week after the meeting and the other two a week later.
    passTime(sqlite, 7 * day);
    await schedulerTurn();
    passTime(sqlite, 7 * day);
    await schedulerTurn();
    for (const n of newcomers) expect(await voiceOf(n)).toBe("earned");
    expect(await voiceOf(unnoticed)).toBe("earned");
    expect(await voicesAmong(noticed)).toBe(0);
    expect(count(sqlite, "SELECT count(*) FROM log_entries WHERE action = 'voice.started'")).toBe(7);
  });
});
