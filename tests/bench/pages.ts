// The pages people use most, under load, against the seeded bench network (5,000 members, 10,000
// initiatives, 20,000 sessions, 200,000 sign-ups), each as a ratio to a trivial page served by the
// same server in the same run: the log-in page for a visitor, which is the root layout and a
// two-field form, so it costs what every page costs and nothing more. Also sign-ups per second,
// the server's memory idle and under load, and the JavaScript a visitor of the feed downloads.
// Figures only, no assertions; `npm run bench` runs it after `remix build`.
//
// Pages are kept for up to ten seconds while nothing changes: for visitors, as when a shared link
// brings many at once, and for each member their own (ADR 054), as when they go back to a list or
// reload it. So every member page is measured twice: as a member gets it (kept for them, made again
// after any write), and made anew (the header of a hard reload), which is what making it costs.
//
// The load generator (autocannon) runs on the same machine as the server, so on a 2-core machine
// both share the CPUs: compare ratios and runs on one machine, not absolute figures across machines.
import { randomBytes } from "node:crypto";
import os from "node:os";
import zlib from "node:zlib";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { benchMemberSession, benchNetwork, busiestInitiative, load, madeAnew, requireBuild, rssMb, seededDatabase, table, watchRss, type Figures, type Load, benchServer } from "./support";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 10;
const signUps = 2_000;

requireBuild();
const database = seededDatabase("pages");
const server = await benchServer({ DATABASE_PATH: database.file });
const pid = server.process.pid!;

try {
  const sqlite = openServerDatabase(database.file);
  const busiest = busiestInitiative(sqlite);
  const facts = sqlite
    .prepare(
      `SELECT (SELECT count(*) FROM members) AS members, (SELECT count(*) FROM initiatives) AS initiatives,
        (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM registrations) AS registrations,
        (SELECT count(*) FROM sessions WHERE initiative_id = ?) AS busiestSessions`,
    )
    .get(busiest) as Record<string, number>;

  console.log(`Pages under load: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB`);
  console.log(
    `Network: ${facts.members.toLocaleString("en")} members, ${facts.initiatives.toLocaleString("en")} initiatives, ` +
      `${facts.sessions.toLocaleString("en")} sessions, ${facts.registrations.toLocaleString("en")} sign-ups` +
      (database.seconds === null ? " (given database)" : ` (seeded in ${database.seconds.toFixed(0)} s; asked for ${JSON.stringify(benchNetwork)})`),
  );
  console.log(`Each figure: autocannon, ${connections} connections, ${seconds} s, gzip accepted, after a warm-up.\n`);

  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const idleRss = rssMb(pid);

  const trivial: Load = { label: "trivial page (/login)", path: "/login" };
  const pages: Load[] = [
    { label: "feed", path: "/" },
    { label: `initiative (${facts.busiestSessions} sessions)`, path: `/initiatives/${busiest}` },
    { label: "search", path: "/?q=buurt" },
    { label: "agenda", path: "/agenda" },
    { label: "agenda.ics", path: "/agenda.ics" },
  ];

  // The same pages for a member, as they get them (kept for them while nothing changes), and made
  // anew for them: what rendering them costs.
  const memberCookie = benchMemberSession(sqlite).cookie;
  const asMember = (target: Load): Load => ({ ...target, label: `${target.label}, member`, headers: { cookie: memberCookie } });
  const anewForMember = (target: Load): Load => ({ ...target, label: `${target.label}, member, made anew`, headers: { cookie: memberCookie, ...madeAnew } });
  const visitorPages = pages.length;
  // A member's floor: the log-in page sends members on, so the static "how it works" page (the
  // root layout and a few paragraphs).
  const memberTrivial = { label: "trivial page (/how-it-works)", path: "/how-it-works" };
  const memberPages = [memberTrivial, ...pages.filter((p) => p.path !== "/agenda.ics")];
  pages.push(...memberPages.map(asMember), ...memberPages.map(anewForMember));
  // The same trivial page made anew for a visitor: a session cookie that names no session, asked
  // anew, so this is what making a page costs anyone, logged in or not.
  const visitorAnew: Load = { label: "trivial page (/how-it-works), visitor, made anew", path: "/how-it-works", headers: { cookie: "meedoen_session=none", ...madeAnew } };
  pages.push(visitorAnew);

  for (const target of [trivial, ...pages]) await load(server.url, target, 3, connections);

  const stopWatching = watchRss(pid);
  const before = await load(server.url, trivial, seconds, connections, pid);
  const measured: Figures[] = [];
  for (const target of pages) measured.push(await load(server.url, target, seconds, connections, pid));
  const after = await load(server.url, trivial, seconds, connections, pid);
  const floor = (before.rps + after.rps) / 2;

  // Sign-ups: every request a different member, for a session with room for all.
  const [host, ...people] = insertMembers(sqlite, signUps + 1, `bench${randomBytes(2).toString("hex")}`);
  const { sessionId } = insertCourseSession(sqlite, host.id, null);
  let next = 0;
  const signUpStarted = performance.now();
  const signUpLoad = await load(
    server.url,
    {
      label: "sign-up (POST)",
      path: `/sessions/${sessionId}/register`,
      requests: [
        {
          method: "POST",
          path: `/sessions/${sessionId}/register`,
          setupRequest: (request) => ({
            ...request,
            headers: { ...request.headers, origin: server.url, cookie: people[next++ % people.length].cookie, "content-type": "application/x-www-form-urlencoded" },
          }),
        },
      ],
    },
    seconds,
    connections,
  );
  const signUpSeconds = (performance.now() - signUpStarted) / 1000;
  const registered = sqlite.prepare("SELECT count(*) FROM registrations WHERE session_id = ? AND status = 'registered'").pluck().get(sessionId) as number;
  const loadRss = stopWatching();

  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idleAfterRss = rssMb(pid);

  const pct = (n: number) => `${Math.round(n * 100)}%`;
  const rows = [["page", "req/s", "of trivial", "p50 ms", "p99 ms", "KiB gz", "not 2xx", "server CPU ms/req"]];
  const line = (f: Figures, ratio: string) => [f.label, f.rps.toFixed(0), ratio, f.p50.toFixed(1), f.p99.toFixed(1), f.kib.toFixed(1), String(f.bad), f.cpuMsPerRequest.toFixed(2)];
  const forVisitors = measured.slice(0, visitorPages);
  const [memberFloor, ...forMembers] = measured.slice(visitorPages, visitorPages + memberPages.length);
  const [anewFloor, ...anewForMembers] = measured.slice(visitorPages + memberPages.length, -1);
  const visitorMadeAnew = measured[measured.length - 1];
  rows.push(line(before, "—"));
  for (const f of forVisitors) rows.push(line(f, pct(f.rps / floor)));
  rows.push(line(memberFloor, "—"));
  for (const f of forMembers) rows.push(line(f, pct(f.rps / memberFloor.rps)));
  rows.push(line(anewFloor, "—"));
  for (const f of anewForMembers) rows.push(line(f, pct(f.rps / anewFloor.rps)));
  rows.push(line(visitorMadeAnew, "—"));
  rows.push(line(after, "—"));
  console.log(table(rows));

  // Issue 19's targets: each member page as a share of the visitor's trivial page in this run, as
  // the member gets it (kept for them while nothing changes). Beside it, the same page made anew:
  // as a share of the visitor's trivial page made anew, and by server CPU per page (which holds
  // still when the load generator takes more or less of the machine).
  const targets = [["member page", "req/s", "of visitor's trivial", "target", "made anew, req/s", "of visitor's made anew", "by server CPU per page"]];
  [memberFloor, ...forMembers].forEach((f, i) => {
    const anew = [anewFloor, ...anewForMembers][i];
    const target = f === memberFloor ? "≥ 30%" : "≥ 15%";
    targets.push([f.label, f.rps.toFixed(0), pct(f.rps / floor), target, anew.rps.toFixed(0), pct(anew.rps / visitorMadeAnew.rps), pct(visitorMadeAnew.cpuMsPerRequest / anew.cpuMsPerRequest)]);
  });
  console.log("\n" + table(targets));
  console.log(`\ntrivial page: ${before.rps.toFixed(0)} req/s before the pages, ${after.rps.toFixed(0)} after; visitors' ratios are against the mean, ${floor.toFixed(0)} req/s`);
  console.log(`members' ratios are against the member's trivial page, ${memberFloor.rps.toFixed(0)} req/s (${pct(memberFloor.rps / floor)} of the visitor's)`);
  console.log(`below 70% of the trivial page: ${forVisitors.filter((f) => f.rps / floor < 0.7).map((f) => f.label).join(", ") || "none"} (visitors); ` +
    `${forMembers.filter((f) => f.rps / memberFloor.rps < 0.7).map((f) => f.label).join(", ") || "none"} (members)`);

  console.log(
    `\nsign-ups: ${registered.toLocaleString("en")} stored in ${signUpSeconds.toFixed(1)} s = ${(registered / signUpSeconds).toFixed(0)} sign-ups/s` +
      ` (p50 ${signUpLoad.p50.toFixed(0)} ms, p99 ${signUpLoad.p99.toFixed(0)} ms; ${people.length.toLocaleString("en")} members, one attempt each, then repeats)`,
  );
  console.log(`memory (RSS): ${idleRss.toFixed(0)} MB idle after start, ${loadRss.toFixed(0)} MB at most under load, ${idleAfterRss.toFixed(0)} MB idle afterwards`);

  // The JavaScript a visitor's browser downloads for the feed, compressed as this server sends it.
  const html = await (await fetch(server.url + "/")).text();
  const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
  let gzipped = 0;
  let raw = 0;
  for (const src of new Set(scripts)) {
    const body = Buffer.from(await (await fetch(new URL(src, server.url))).arrayBuffer());
    raw += body.length;
    gzipped += zlib.gzipSync(body).length;
  }
  const inline = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((sum, m) => sum + m[1].length, 0);
  console.log(
    `JavaScript on the feed: ${new Set(scripts).size} files, ${(gzipped / 1024).toFixed(1)} KiB gzipped (${(raw / 1024).toFixed(0)} KiB unzipped), ` +
      `plus ${(inline / 1024).toFixed(1)} KiB inline in the page (the loader data Remix hydrates from)`,
  );
  sqlite.close();
} finally {
  await server.stop();
  await database.remove();
}
