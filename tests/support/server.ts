// Starts the real built server (build/index.js) on a free port with its own database file.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The memory limits `npm start` gives the server (package.json), so tests and benchmarks run it alike. */
export const serverFlags = ["--max-semi-space-size=8", "--max-old-space-size=192"];

export type RunningServer = { url: string; databasePath: string; dataDir: string; process: ChildProcess; output: () => string; stop: () => Promise<void> };

// How long a start may take before it counts as failed. The wait ends as soon as the server says
// it runs; the ceiling is generous so that a busy machine (other builds, a benchmark's seeding)
// slows a start down without failing it.
const startCeilingMs = Number(process.env.SERVER_START_TIMEOUT_MS ?? 120_000);

// Servers still running when this process ends are killed, whatever path it ends by, so that no
// server outlives its test or benchmark (and keeps a database file open that is then removed).
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

// The kernel counts a process's CPU time in clock ticks (USER_HZ), 100 a second on Linux; asked
// once, on first use.
let ticksPerSecond = 0;

/**
 * CPU time a process (all its threads) has used so far, in ms (Linux /proc, in clock ticks of
 * 10 ms). Unlike the wall clock, a busy machine does not inflate it, nor does the load generator's
 * share of the cores.
 */
export function processCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/stat`);
}

/** The CPU time, in ms, of the process's main thread alone (the thread that answers requests). */
export function mainThreadCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
}

function cpuMsOf(statFile: string): number {
  ticksPerSecond ||= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  // utime and stime: fields 14 and 15 of the line, 12 and 13 after the command name.
  const [utime, stime] = readFileSync(statFile, "utf8").split(") ")[1].split(" ").slice(11, 13).map(Number);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Starts `build` (the server build, or a changed copy of it next to it, for upgrade tests). */
export async function startServer(env: Record<string, string> = {}, build = "build/index.js"): Promise<RunningServer> {
  // A database path given by the caller outlives the server (for restart tests); our own does not.
  const ownDatabase = !env.DATABASE_PATH;
  const databasePath = env.DATABASE_PATH ?? path.join(os.tmpdir(), `meedoen-http-${randomBytes(5).toString("hex")}.sqlite`);
  // Pictures go next to the database, so that a restarted server finds them again.
  const dataDir = env.DATA_DIR ?? `${databasePath}.data`;
  const child = spawn(process.execPath, [...serverFlags, build], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SMTP_URL: "", ...env, DATABASE_PATH: databasePath, DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not start within ${startCeilingMs / 1000} s:\n${output}`));
    }, startCeilingMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /running on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  // If the server dies mid-test every later step fails at once: say so, with its last words.
  let stopping = false;
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`[test server] exited early (code ${code}, signal ${signal}):\n${output.slice(-4000)}`);
  });
  return {
    url,
    databasePath,
    dataDir,
    process: child,
    output: () => output,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (ownDatabase) for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
      if (ownDatabase && !env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
