// Runs the benchmarks one after another, each in its own process (`npm run bench`, after
// `remix build`). Benchmarks print figures and assert nothing. Each one gets a time limit
// (BENCH_TIMEOUT_MINUTES, 30 by default): one that runs past it is stopped with SIGTERM, which
// makes it stop its servers and remove its files. The summary at the end says which completed;
// the exit code is 0 only when every one did.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/tsx/dist/cli.mjs");
const benches = ["tests/bench/pages.ts", "tests/bench/page-survey.ts", "tests/bench/derived.ts", "tests/bench/feed.ts", "tests/bench/registration-race.ts", "tests/bench/governance.ts", "tests/bench/hostile.ts", "tests/bench/image-queue.ts", "tests/bench/markdown.ts"];
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
const limitMs = Number(process.env.BENCH_TIMEOUT_MINUTES ?? 30) * 60_000;

const results: { bench: string; outcome: string; seconds: number }[] = [];
for (const bench of benches) {
  if (only && !only.some((name) => bench.includes(name))) continue;
  console.log(`\n=== ${bench}\n`);
  const started = performance.now();
  const result = spawnSync(process.execPath, [tsx, bench], { cwd: root, stdio: "inherit", timeout: limitMs, killSignal: "SIGTERM" });
  const seconds = (performance.now() - started) / 1000;
  const timedOut = result.error && (result.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
  const outcome = timedOut ? `stopped after ${limitMs / 60_000} min` : result.status === 0 ? "completed" : `failed (${result.signal ?? `exit code ${result.status}`})`;
  results.push({ bench, outcome, seconds });
}

console.log("\n=== summary\n");
for (const { bench, outcome, seconds } of results) console.log(`${bench.padEnd(34)} ${outcome.padEnd(24)} ${seconds.toFixed(0).padStart(5)} s`);
process.exit(results.every((r) => r.outcome === "completed") ? 0 : 1);
