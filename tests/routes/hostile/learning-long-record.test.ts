// A long record of learning (1,500 attended sessions over four years and more), through the real
// server (build/index.js). Its PDF is drawn on a worker thread (app/lib/pdf-worker.server.ts): a
// member asking for it, once or again and again, does not hold up anyone else's pages, and one
// member cannot fill the queue. Its page and its verification page list one year's sessions at a
// time, a hundred per page, whatever year and page are asked for.
import type Database from "better-sqlite3";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAttendedSessions, insertMembers, openServerDatabase } from "../../support/direct-db";
import { mainThreadCpuMs, processCpuMs, startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
type Who = { id: string; cookie: string };
let long: Who, other: Who, host: Who, short: Who;

const day = 86_400_000;
// Sessions in the long record: one a day, for four years and more.
const sessions = 1_500;

const get = (path: string, who?: Who) => fetch(server.url + path, { headers: { "Accept-Language": "nl", ...(who ? { Cookie: who.cookie } : {}) } });
const pdfOf = (who: Who, lang = "nl") => get(`/settings/learning.pdf?lang=${lang}`, who);
// How many sessions of the long record fall in each year, in the community's time zone.
let sessionsPerYear = new Map<number, number>();

async function pdfText(res: Response) {
  const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [long, other, host, short] = insertMembers(sqlite, 4, "pdfq");
  sqlite.prepare("UPDATE members SET display_name = 'Lange Adem' WHERE id = ?").run(long.id);
  const first = Date.now() - (sessions + 10) * day;
  const evenings = Array.from({ length: sessions }, (_, i) => first + i * day);
  sessionsPerYear = insertAttendedSessions(sqlite, { hostId: host.id, memberId: long.id, title: "Intervisie in de wijk", starts: evenings });
  // A short record: three evenings, in different years.
  insertAttendedSessions(sqlite, { hostId: host.id, memberId: short.id, title: "Intervisie in de wijk", starts: [evenings[0], evenings[500], evenings[1000]] });
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("a long record's PDF", () => {
  it("is drawn beside the server's own thread: most of its work is not on the thread that answers requests", async () => {
    // Warm: the worker is started and the record read once, so that what is measured is one PDF.
    expect((await pdfOf(long)).status).toBe(200);
    const pid = server.process.pid!;
    const [processBefore, mainBefore] = [processCpuMs(pid), mainThreadCpuMs(pid)];
    const res = await pdfOf(long);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const processUsed = processCpuMs(pid) - processBefore;
    const mainUsed = mainThreadCpuMs(pid) - mainBefore;
    // Drawn on the main thread, it took half the process's time there and more (the rest is the
    // garbage collector's helpers); reading the record and writing down its texts take about 40 ms
    // of its 1,000 here.
    expect(mainUsed, `main thread ${mainUsed} ms of ${processUsed} ms`).toBeLessThan(processUsed / 3);
  });

  it("does not hold up other pages: someone else reads pages one after another meanwhile", async () => {
    let pdfDone = 0;
    const pdf = pdfOf(long).then(async (res) => {
      const text = await pdfText(res);
      pdfDone = performance.now();
      return { status: res.status, text };
    });
    const pagesDone: number[] = [];
    while (!pdfDone && pagesDone.length < 50) {
      const page = await get("/how-it-works", other);
      expect(page.status).toBe(200);
      await page.text();
      pagesDone.push(performance.now());
    }
    const { status, text } = await pdf;
    expect(status).toBe(200);
    expect(text).toContain("Lange Adem");
    expect(text.match(/Intervisie in de wijk/g)).toHaveLength(sessions);
    // Drawn on the main thread, two got through (while the PDF was being saved); here dozens.
    expect(pagesDone.filter((done) => done < pdfDone).length, "pages answered while the PDF was drawn").toBeGreaterThanOrEqual(10);
  });

  it("asked for three times at once by one member: two are drawn, the third is refused with a translated 503", async () => {
    const answers = await Promise.all([pdfOf(long, "nl"), pdfOf(long, "en"), pdfOf(long, "nl")]);
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    const busy = answers.find((res) => res.status === 503)!;
    expect(busy.headers.get("Retry-After")).toBe("30");
    const message = await busy.text();
    expect(message).toContain("Er worden nu veel PDF's gemaakt");
    expect(message).toContain("Many PDFs are being made right now");
    for (const res of answers.filter((r) => r.status === 200)) {
      expect(res.headers.get("Content-Type")).toBe("application/pdf");
      expect(await pdfText(res)).toContain("Lange Adem");
    }
  });

  it("a member asking again and again does not keep someone else's PDF waiting", async () => {
    const flood = Array.from({ length: 12 }, () => pdfOf(long));
    const theirs = await pdfOf(other);
    expect(theirs.status).toBe(200);
    expect(await pdfText(theirs)).toContain("Geen bijeenkomsten in deze periode.");
    const statuses = await Promise.all(
      flood.map(async (answer) => {
        const res = await answer;
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // The queue empties: the next PDF is drawn.
    expect((await pdfOf(long)).status).toBe(200);
  });
});

describe("a long record's page", () => {
  const years = () => [...sessionsPerYear.keys()].sort((a, b) => b - a);
  /** The page's listed sessions, the year marked as listed, and the years in its switch. */
  async function listed(query: string, path = "/settings/learning", who: Who | undefined = long) {
    const res = await get(`${path}${query}`, who);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
    const nav = /<nav aria-label="Jaren"[^>]*>(.*?)<\/nav>/s.exec(html)?.[1] ?? "";
    const pager = /<nav class="pager"[^>]*>(.*?)<\/nav>/s.exec(html)?.[1] ?? "";
    return {
      sessions: html.match(/<li class="session">/g)?.length ?? 0,
      rows: /<p>(\d+)–(\d+) van (\d+)<\/p>/.exec(html)?.slice(1).map(Number),
      pager: [...pager.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&")),
      switchLinks: [...nav.matchAll(/href="([^"]*)"/g)].map((m) => m[1]),
      current: Number(/aria-current="page"[^>]*>(\d{4})</.exec(nav)?.[1]),
      switchYears: [...nav.matchAll(/>(\d{4})</g)].map((m) => Number(m[1])),
      // The totals table still has every year.
      totals: [...html.matchAll(/<th scope="row">(\d{4})<\/th>/g)].map((m) => Number(m[1])),
    };
  }

  const firstPage = (year: number) => Math.min(100, sessionsPerYear.get(year)!);

  it("lists the newest year's sessions, with a switch to every year and the totals of all", async () => {
    expect(years().length).toBeGreaterThanOrEqual(4);
    const page = await listed("");
    expect(page.current).toBe(years()[0]);
    expect(page.sessions).toBe(firstPage(years()[0]));
    expect(page.switchYears).toEqual(years());
    expect(page.totals).toEqual(years());
  });

  it("lists an older year when asked, a hundred sessions per page", async () => {
    const year = years()[2];
    const total = sessionsPerYear.get(year)!;
    expect(total).toBeGreaterThan(300);
    const first = await listed(`?year=${year}`);
    expect(first.current).toBe(year);
    expect([first.sessions, first.rows]).toEqual([100, [1, 100, total]]);
    expect(first.pager).toEqual([`/settings/learning?year=${year}&page=2#sessions`]);
    const pages = Math.ceil(total / 100);
    const last = await listed(`?year=${year}&page=${pages}`);
    expect([last.sessions, last.rows]).toEqual([total - (pages - 1) * 100, [(pages - 1) * 100 + 1, total, total]]);
    expect(last.pager).toEqual([`/settings/learning?year=${year}&page=${pages - 1}#sessions`]);
  });

  it.each(["0", "-1", "01", "1e2", "abc", "9".repeat(5_000), ""])("answers page %j with the first page", async (asked) => {
    const year = years()[1];
    const page = await listed(`?year=${year}&page=${asked}`);
    expect(page.current).toBe(year);
    expect(page.rows?.[0]).toBe(1);
  });

  it("answers a page past the last with the last", async () => {
    const year = years()[1];
    const total = sessionsPerYear.get(year)!;
    const page = await listed(`?year=${year}&page=99`);
    expect(page.rows).toEqual([Math.floor((total - 1) / 100) * 100 + 1, total, total]);
  });

  it.each(["?year=abcd", "?year=1800", "?year=99999", `?year=${"9".repeat(8_000)}`, "?year=%00", "?year=", "?year=2024%0A"])("answers %s with the newest year", async (query) => {
    const page = await listed(query);
    expect(page.current).toBe(years()[0]);
    expect(page.sessions).toBe(firstPage(years()[0]));
  });

  it("takes the first of repeated years", async () => {
    const page = await listed(`?year=${years()[1]}&year=${years()[3]}`);
    expect(page.current).toBe(years()[1]);
  });

  it("its verification page, for anyone, lists it the same way", async () => {
    const made = await fetch(`${server.url}/settings/learning`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: long.cookie },
      body: new URLSearchParams({ intent: "make", scope: "all", name: "Lange Adem" }),
    });
    expect(made.status).toBe(303);
    const code = sqlite.prepare("SELECT code FROM learning_links WHERE member_id = ?").pluck().get(long.id) as string;
    const path = `/verify/${code}`;
    const first = await listed("", path, undefined);
    expect([first.current, first.sessions]).toEqual([years()[0], firstPage(years()[0])]);
    expect(first.switchLinks).toEqual(years().map((year) => `${path}?year=${year}#sessions`));
    expect(first.totals).toEqual(years());
    const year = years()[2];
    const second = await listed(`?year=${year}&page=2`, path, undefined);
    expect([second.current, second.sessions, second.rows?.[0]]).toEqual([year, 100, 101]);
    for (const query of ["?year=abcd&page=-1", `?year=${"1".repeat(8_000)}`, "?page=x"]) {
      const odd = await listed(query, path, undefined);
      expect([odd.current, odd.rows?.[0]]).toEqual([years()[0], 1]);
    }
  });

  it("a short record lists every session, without a switch", async () => {
    const html = await (await get("/settings/learning?year=2020", short)).text();
    expect(html.match(/<li class="session">/g)).toHaveLength(3);
    expect(html).not.toContain('aria-label="Jaren"');
  });
});
