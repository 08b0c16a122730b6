// Shared by the benchmarks: the seeded network they run against, the server's memory, and
// autocannon runs printed as one line each.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import type Database from "better-sqlite3";
import { mainThreadCpuMs, processCpuMs, startServer, type RunningServer } from "../support/server";

export const root = path.resolve(import.meta.dirname, "../..");

// Clean-up on every way out. A benchmark ends normally (its own finally blocks), by an error, or
// by a signal: Ctrl-C, or run.ts stopping one that ran past its time. On a signal the registered
// steps run newest first — a server registered after its database is stopped before that
// database is removed — and the process then exits with 130. A server left running when the
// process exits is killed by tests/support/server.ts.
const cleanUps: (() => unknown)[] = [];
let leaving = false;

/** Registers a clean-up step; returns a function that runs it now (once) and unregisters it. */
export function atExit(step: () => unknown): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    await step();
  };
  cleanUps.push(once);
  return async () => {
    const at = cleanUps.indexOf(once);
    if (at >= 0) cleanUps.splice(at, 1);
    await once();
  };
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    if (leaving) return;
    leaving = true;
    console.error(`\n${signal}: stopping servers and removing files`);
    void (async () => {
      for (const step of cleanUps.splice(0).reverse()) await Promise.resolve().then(step).catch(() => {});
    })().finally(() => process.exit(130));
  });
}

/** The middle value (the upper of the two middle ones for an even count). */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The network the issue asks to measure against. */
export const benchNetwork = { members: 5_000, initiatives: 10_000, sessions: 20_000, registrations: 200_000 };

export function requireBuild() {
  if (!existsSync(path.join(root, "build/index.js"))) {
    throw new Error("build/index.js is missing: run `npx remix build` first (npm run bench does).");
  }
}

/**
 * A database file with the demo network and the generated bench network. Seeding takes about half
 * a minute; with BENCH_DATABASE set to a file that exists, that file is used as it is (and kept).
 */
export function seededDatabase(name: string): { file: string; seconds: number | null; remove: () => Promise<void> } {
  const given = process.env.BENCH_DATABASE;
  if (given && existsSync(given)) return { file: given, seconds: null, remove: async () => {} };
  const file = given ?? path.join(os.tmpdir(), `meedoen-bench-${name}-${process.pid}.sqlite`);
  const started = performance.now();
  const args = Object.entries(benchNetwork).flatMap(([what, n]) => [`--${what}`, String(n)]);
  execFileSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "db/seed.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: file },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const seconds = (performance.now() - started) / 1000;
  const remove = atExit(() => {
    if (given) return;
    for (const suffix of ["", "-wal", "-shm", ".data"]) rmSync(file + suffix, { force: true, recursive: true });
  });
  return { file, seconds, remove };
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest. */
export function watchRss(pid: number, everyMs = 200) {
  let max = rssMb(pid);
  const timer = setInterval(() => (max = Math.max(max, rssMb(pid))), everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(max, rssMb(pid));
  };
}

export type Load = { path: string; label: string; headers?: Record<string, string>; requests?: autocannon.Request[] };

/** cpuMsPerRequest: the server process's, all its threads; mainMsPerRequest: the thread that answers requests. */
export type Figures = { label: string; path: string; rps: number; p50: number; p99: number; bad: number; kib: number; cpuMsPerRequest: number; mainMsPerRequest: number };

/**
 * One autocannon run against `url`, gzip accepted as a browser would; with the server's `pid`,
 * also the server's CPU time per request (NaN without it).
 */
export async function load(url: string, target: Load, seconds: number, connections: number, pid?: number): Promise<Figures> {
  const cpuBefore = pid ? processCpuMs(pid) : NaN;
  const mainBefore = pid ? mainThreadCpuMs(pid) : NaN;
  const result = await autocannon({
    url: url + target.path,
    connections,
    duration: seconds,
    headers: { "accept-encoding": "gzip", ...target.headers },
    ...(target.requests ? { requests: target.requests } : {}),
  });
  const ok = result["2xx"] + (result.statusCodeStats?.["303"]?.count ? Number(result.statusCodeStats["303"].count) : 0);
  return {
    label: target.label,
    path: target.path,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.requests.total - ok + result.errors,
    kib: result.throughput.average / Math.max(1, result.requests.average) / 1024,
    cpuMsPerRequest: pid ? (processCpuMs(pid) - cpuBefore) / Math.max(1, result.requests.total) : NaN,
    mainMsPerRequest: pid ? (mainThreadCpuMs(pid) - mainBefore) / Math.max(1, result.requests.total) : NaN,
  };
}

export function table(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

/** Starts the real server for a benchmark; stopped on every way out, before files are removed. */
export async function benchServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer(env);
  const stop = atExit(() => server.stop());
  return { ...server, stop };
}

/** The initiative of the bench network with the most sessions. */
export function busiestInitiative(sqlite: Database.Database): number {
  return sqlite.prepare("SELECT initiative_id FROM sessions GROUP BY initiative_id ORDER BY count(*) DESC, initiative_id LIMIT 1").pluck().get() as number;
}

/**
 * Headers that ask for a member's page made anew rather than the copy kept for them (the header a
 * browser sends on a hard reload; app/lib/page-cache.server.ts): what making the page costs.
 */
export const madeAnew = { "cache-control": "no-cache" } as const;

/** A login session for a member (the first generated member of the bench network unless named): its id and Cookie header. */
export function benchMemberSession(sqlite: Database.Database, memberId?: string): { id: string; cookie: string } {
  const sessionId = randomBytes(20).toString("hex");
  const id = memberId ?? (sqlite.prepare("SELECT id FROM members WHERE id LIKE 'bulk%' ORDER BY id LIMIT 1").pluck().get() as string);
  sqlite.prepare("INSERT INTO auth_sessions (id, member_id, expires_at) VALUES (?, ?, ?)").run(sessionId, id, Math.floor(Date.now() / 1000) + 86_400);
  return { id, cookie: `meedoen_session=${sessionId}` };
}
