// Every kind of page a member reads, on the seeded bench network (5,000 members, 10,000
// initiatives, 20,000 sessions, 200,000 sign-ups), made for a member as every member page is: what
// each costs the server in CPU time. pages.ts follows five pages closely against issue 19's
// targets; this survey looks at all of them briefly, to find the page that costs ten or a hundred
// times the others. That is how /organisations was found counting the whole network for every
// request (1.7 s of CPU each). It also asks for the files a member's browser and calendar fetch,
// and, as the member with the longest record of learning, the pages that grow with one member's
// own history: that is how the record's PDF was found taking 8–11 s of the server for 1,950
// sessions. Figures only; pages over 50 ms of the main thread are named at the end.
import { openServerDatabase } from "../support/direct-db";
import { mainThreadCpuMs, processCpuMs } from "../support/server";
import { benchMemberSession, benchServer, busiestInitiative, load, madeAnew, requireBuild, seededDatabase, table, type Figures } from "./support";

const seconds = Number(process.env.BENCH_SURVEY_SECONDS ?? 3);
const connections = 4;
const slowMs = 50;

/** A page asked for one request at a time, in the same figures as a load. */
async function oneByOne(url: string, path: string, label: string, cookie: string, pid: number, times = 3): Promise<Figures> {
  const ask = async () => {
    const response = await fetch(url + path, { headers: { cookie, "accept-encoding": "gzip", ...madeAnew } });
    const body = await response.arrayBuffer();
    // As sent (compressed), where the server says; fetch hands over the body unpacked.
    return { ok: response.ok, bytes: Number(response.headers.get("content-length") ?? body.byteLength) };
  };
  await ask();
  const cpuBefore = processCpuMs(pid);
  const mainBefore = mainThreadCpuMs(pid);
  const walls: number[] = [];
  let bad = 0;
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const answer = await ask();
    walls.push(performance.now() - started);
    if (!answer.ok) bad++;
    bytes = answer.bytes;
  }
  walls.sort((a, b) => a - b);
  const mean = walls.reduce((sum, ms) => sum + ms, 0) / times;
  return { label, path, rps: 1000 / mean, p50: walls[Math.floor(times / 2)], p99: walls[times - 1], bad, kib: bytes / 1024, cpuMsPerRequest: (processCpuMs(pid) - cpuBefore) / times, mainMsPerRequest: (mainThreadCpuMs(pid) - mainBefore) / times };
}

requireBuild();
const database = seededDatabase("survey");
const server = await benchServer({ DATABASE_PATH: database.file });
const pid = server.process.pid!;

try {
  const sqlite = openServerDatabase(database.file);
  const one = <T>(query: string, ...params: unknown[]) => sqlite.prepare(query).pluck().get(...params) as T;
  const member = benchMemberSession(sqlite);
  const busiest = busiestInitiative(sqlite);
  const ids = {
    initiative: busiest,
    session: one<number>("SELECT id FROM sessions WHERE initiative_id = ? ORDER BY starts_at DESC LIMIT 1", busiest),
    organisation: one<string>("SELECT o.slug FROM organisations o JOIN members m ON m.organisation_id = o.id GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1"),
    venue: one<number>("SELECT venue_id FROM sessions WHERE venue_id IS NOT NULL GROUP BY venue_id ORDER BY count(*) DESC LIMIT 1"),
    proposal: one<number>("SELECT id FROM proposals ORDER BY id DESC LIMIT 1"),
    method: one<number>("SELECT id FROM methods ORDER BY id LIMIT 1"),
  };
  // The member with the longest record of learning (in the bench network, about 1,950 sessions).
  const longestRecord = benchMemberSession(sqlite, one<string>("SELECT member_id FROM registrations WHERE attended_at IS NOT NULL GROUP BY member_id ORDER BY count(*) DESC LIMIT 1"));
  sqlite.close();

  const pages = [
    "/",
    "/?q=buurt",
    "/how-it-works",
    "/agenda",
    "/agenda?view=week",
    "/agenda?view=month",
    `/initiatives/${ids.initiative}`,
    `/sessions/${ids.session}`,
    `/members/${member.id}`,
    "/members",
    "/organisations",
    `/organisations/${ids.organisation}`,
    ids.venue ? `/venues/${ids.venue}` : null,
    "/network",
    "/network/connections",
    "/network/organisations",
    "/now",
    "/proposals",
    ids.proposal ? `/proposals/${ids.proposal}` : null,
    "/methods",
    ids.method ? `/methods/${ids.method}` : null,
    "/log",
    "/digest",
    "/rules",
    "/settings",
    // Files a member's browser or calendar asks for.
    "/agenda.ics",
    "/agenda.json",
    "/feed.xml",
    "/log.xml",
    `/initiatives/${ids.initiative}/calendar.ics`,
    `/sessions/${ids.session}/calendar.ics`,
    `/initiatives/${ids.initiative}/preview.png`,
    `/sessions/${ids.session}/preview.png`,
    `/members/${member.id}/preview.png`,
  ].filter((p): p is string => p !== null);
  // The pages whose size follows one member's own history, for the member with the most of it.
  const ownPages = ["/settings/learning", "/settings/learning.pdf", "/settings/export.json", `/members/${longestRecord.id}`];

  console.log(`Every page type for a member: ${connections} connections, ${seconds} s each after a 1 s warm-up, gzip accepted.\n`);
  // The network's first count runs in the background after the start; pages that show it wait for it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  // Made anew for every request: what each page costs (ADR 054 keeps a member's pages otherwise).
  const headers = { cookie: member.cookie, ...madeAnew };
  const measured: Figures[] = [];
  for (const path of pages) {
    await load(server.url, { label: path, path, headers }, 1, connections);
    measured.push(await load(server.url, { label: path, path, headers }, seconds, connections, pid));
  }
  // These take up to seconds each: a timed load would leave requests running into the next
  // page's figures, so they are asked one at a time, once to warm up and then three times.
  for (const path of ownPages) measured.push(await oneByOne(server.url, path, `${path} (longest record)`, longestRecord.cookie, pid));
  const rows = [["page (as a member)", "req/s", "p50 ms", "p99 ms", "KiB gz", "not 2xx", "server CPU ms/req", "of it main thread"]];
  for (const f of measured) rows.push([f.label, f.rps.toFixed(0), f.p50.toFixed(1), f.p99.toFixed(1), f.kib.toFixed(1), String(f.bad), f.cpuMsPerRequest.toFixed(2), f.mainMsPerRequest.toFixed(2)]);
  console.log(table(rows));
  // The thread that answers every request: while it works on one page, nobody else gets one.
  const slow = measured.filter((f) => f.mainMsPerRequest > slowMs);
  console.log(`\nover ${slowMs} ms of the main thread's CPU per page: ${slow.map((f) => `${f.label} (${f.mainMsPerRequest.toFixed(0)} ms)`).join(", ") || "none"}`);
} finally {
  await server.stop();
  await database.remove();
}
