// Runs the benchmarks one after another, each in its own process (`npm run bench`, after
// `remix build`). Benchmarks print figures and assert nothing; a benchmark that crashes makes
// this exit non-zero.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const benches = ["tests/bench/pages.ts", "tests/bench/feed.ts", "tests/bench/registration-race.ts", "tests/bench/governance.ts", "tests/bench/hostile.ts", "tests/bench/image-queue.ts", "tests/bench/markdown.ts"];

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench}\n`);
  const result = spawnSync("npx", ["tsx", bench], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`${bench} failed (${result.signal ?? `exit code ${result.status}`})`);
  }
}
process.exit(failed ? 1 : 0);
