process.env.DATABASE_PATH = "/tmp/prof/db.sqlite";
process.env.NODE_ENV = "production";
import Database from "better-sqlite3";
const times = new Map<string, { n: number; ms: number }>();
const origPrepare = (Database.prototype as any).prepare;
(Database.prototype as any).prepare = function (source: string) {
  const st = origPrepare.call(this, source);
  for (const m of ["all", "get", "run", "values"]) {
    const f = st[m];
    if (typeof f !== "function") continue;
    st[m] = function (...args: unknown[]) { const t = performance.now(); try { return f.apply(this, args); } finally { const k = source.replace(/\s+/g, " ").slice(0, 160); const e = times.get(k) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; times.set(k, e); } };
  }
  return st;
};
const { homePage } = await import("~/models/home-page.server");
const viewer = { memberId: "bulk00000001", locale: "nl" as const };
for (let i = 0; i < 50; i++) homePage(new URLSearchParams(), viewer);
times.clear();
const N = 300;
const t0 = performance.now();
for (let i = 0; i < N; i++) homePage(new URLSearchParams(), viewer);
console.log("homePage total", ((performance.now() - t0) / N).toFixed(3), "ms");
for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log((v.ms / N).toFixed(3), "ms", (v.n / N).toFixed(1), "x", k);
