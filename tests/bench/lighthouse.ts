// Lighthouse on the key pages, as a visitor on a phone: the feed, an initiative, the agenda, the
// network page and sign-up, against the demo network. Accessibility, best practices and SEO must
// score 100 on every page (exit code 1 otherwise, with every audit that did not pass and the
// elements or URLs it points at); performance is reported, not enforced. `npm run lighthouse`
// runs it after `remix build`; not part of `npm test`.
//
// Lighthouse's default mobile settings: a Moto G Power sized screen and simulated throttling
// (slow 4G, 4× slower CPU), so performance scores compare with what other sites report.
// LIGHTHOUSE_JSON=file also writes the figures and failing audits as JSON.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Flags, type Result } from "lighthouse";
import { chromiumArgs, chromiumPath } from "../support/browser";
import { openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { requireBuild, root, table } from "./support";

/** The Debian chromium; nothing here may download a browser. */
// Lighthouse wants the new headless mode; otherwise the flags every browser test uses.
const chromiumFlags = chromiumArgs.map((flag) => (flag === "--headless" ? "--headless=new" : flag));

const enforced = ["accessibility", "best-practices", "seo"] as const;
const categories = ["performance", ...enforced] as const;
/** The metrics behind the performance score, as Lighthouse shows them. */
const metrics = [
  { id: "first-contentful-paint", title: "FCP s", scale: 1000, digits: 1 },
  { id: "largest-contentful-paint", title: "LCP s", scale: 1000, digits: 1 },
  { id: "total-blocking-time", title: "TBT ms", scale: 1, digits: 0 },
  { id: "cumulative-layout-shift", title: "CLS", scale: 1, digits: 3 },
  { id: "speed-index", title: "SI s", scale: 1000, digits: 1 },
];
const categoryTitles: Record<(typeof categories)[number], string> = {
  performance: "performance",
  accessibility: "accessibility",
  "best-practices": "best practices",
  seo: "SEO",
};
/** Lighthouse runs per page before a browser-side failure counts (see below). */
const attempts = 4;
/** Items shown per failing audit; the JSON has them all. */
const itemsShown = 5;

type Failure = { page: string; path: string; category: string; id: string; title: string; score: number | null; weight: number; displayValue?: string; explanation?: string; items: string[] };
type PageFigures = { page: string; path: string; scores: Record<string, number | null>; seconds: number; finalUrl: string; warnings: string[]; retriedAfter: string[]; metrics: Record<string, number | null> };

const started = performance.now();
const databasePath = path.join(os.tmpdir(), `meedoen-lighthouse-${randomBytes(5).toString("hex")}.sqlite`);
const dataDir = `${databasePath}.data`;
let server: RunningServer | undefined;
let chrome: chromeLauncher.LaunchedChrome | undefined;

async function cleanUp() {
  const stopping = [server?.stop(), chrome ? Promise.resolve(chrome.kill()) : undefined];
  server = undefined;
  chrome = undefined;
  await Promise.allSettled(stopping);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}

function shorten(text: string, max: number) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One failing item as a line: the element (selector and HTML), URL or text the audit points at. */
function describeItem(item: Record<string, unknown>, headings: { key: string | null; valueType?: string }[]): string {
  const parts: string[] = [];
  const describe = (value: unknown): string | undefined => {
    if (value === null || value === undefined || value === "") return undefined;
    if (typeof value !== "object") return String(value);
    const v = value as Record<string, unknown>;
    if (v.type === "node") {
      const explanation = typeof v.explanation === "string" ? ` — ${shorten(v.explanation, 400)}` : "";
      return `${v.selector ?? v.path ?? "?"} ${shorten(String(v.snippet ?? v.nodeLabel ?? ""), 200)}${explanation}`;
    }
    if (v.type === "source-location") return `${v.url}:${Number(v.line) + 1}:${Number(v.column) + 1}`;
    if (v.type === "url" || v.type === "text" || v.type === "code") return String(v.value);
    if (v.type === "link") return `${v.text} (${v.url})`;
    return JSON.stringify(v).slice(0, 200);
  };
  const keys = headings.map((h) => h.key).filter((k): k is string => Boolean(k));
  for (const key of keys.length ? keys : Object.keys(item).filter((k) => k !== "subItems")) {
    const text = describe(item[key]);
    if (text) parts.push(keys.length > 1 ? `${key}: ${text}` : text);
  }
  const subItems = (item.subItems as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
  for (const sub of subItems.slice(0, 3)) {
    const text = Object.values(sub).map(describe).filter(Boolean).join(", ");
    if (text) parts.push(`[${text}]`);
  }
  return parts.join("; ");
}

function failingItems(details: unknown): string[] {
  const d = details as { type?: string; items?: unknown[]; headings?: { key: string | null; valueType?: string }[] } | undefined;
  if (!d?.items) return [];
  if (d.type === "list") return d.items.flatMap((sub) => failingItems(sub));
  if (d.type !== "table" && d.type !== "opportunity") return [];
  return (d.items as Record<string, unknown>[]).map((item) => describeItem(item, d.headings ?? []));
}

try {
  requireBuild();

  // The demo network only (no bulk data): what a visitor sees on a small, real-looking network.
  execFileSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_PATH: databasePath, DATA_DIR: dataDir },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const sqlite = openServerDatabase(databasePath);
  // The visible initiative with the most sessions: the fullest initiative page.
  const initiativeId = sqlite
    .prepare(
      `SELECT i.id FROM initiatives i LEFT JOIN sessions s ON s.initiative_id = i.id
       WHERE i.hidden_at IS NULL GROUP BY i.id ORDER BY count(s.id) DESC, i.id LIMIT 1`,
    )
    .pluck()
    .get() as number | undefined;
  sqlite.close();
  if (initiativeId === undefined) throw new Error("the demo network has no visible initiative");

  server = await startServer({ DATABASE_PATH: databasePath, DATA_DIR: dataDir });
  const pages = [
    { page: "home (feed)", path: "/" },
    { page: "initiative", path: `/initiatives/${initiativeId}` },
    { page: "agenda", path: "/agenda" },
    { page: "network", path: "/network" },
    { page: "sign-up", path: "/signup" },
  ];

  chrome = await chromeLauncher.launch({ chromePath: chromiumPath, chromeFlags: chromiumFlags, logLevel: "silent" });
  const flags: Flags = { port: chrome.port, output: "json", logLevel: "error", onlyCategories: [...categories] };

  const figures: PageFigures[] = [];
  const failures: Failure[] = [];
  let lhr: Result | undefined;
  for (const { page, path: pagePath } of pages) {
    const pageStarted = performance.now();
    // A run can fail for reasons of the browser, not the page: now and then chromium drops the
    // first trace events of the renderer process it starts for the page, and Lighthouse reports
    // NO_NAVSTART. Such a run is repeated; a page that fails every time is an error.
    const retriedAfter: string[] = [];
    for (;;) {
      const result = await lighthouse(server.url + pagePath, flags);
      if (!result) throw new Error(`Lighthouse returned nothing for ${pagePath}`);
      lhr = result.lhr;
      if (!lhr.runtimeError) break;
      retriedAfter.push(lhr.runtimeError.code);
      if (retriedAfter.length === attempts) {
        throw new Error(`Lighthouse could not measure ${pagePath} in ${attempts} attempts: ${retriedAfter.join(", ")} (${lhr.runtimeError.message})`);
      }
    }
    const scores = Object.fromEntries(categories.map((c) => [c, lhr!.categories[c]?.score == null ? null : Math.round(lhr!.categories[c].score! * 100)]));
    const measured = Object.fromEntries(metrics.map((m) => [m.id, lhr!.audits[m.id]?.numericValue ?? null]));
    figures.push({ page, path: pagePath, scores, seconds: (performance.now() - pageStarted) / 1000, finalUrl: lhr.finalDisplayedUrl, warnings: lhr.runWarnings, retriedAfter, metrics: measured });
    for (const category of enforced) {
      for (const ref of lhr.categories[category]?.auditRefs ?? []) {
        const audit = lhr.audits[ref.id];
        const counts = ref.weight > 0 || audit.scoreDisplayMode === "binary" || audit.scoreDisplayMode === "numeric" || audit.scoreDisplayMode === "metricSavings";
        const failed = audit.scoreDisplayMode === "error" || (counts && audit.score !== null && audit.score < 1);
        if (!failed) continue;
        failures.push({
          page,
          path: pagePath,
          category,
          id: audit.id,
          title: audit.title,
          score: audit.score,
          weight: ref.weight,
          displayValue: audit.displayValue,
          explanation: audit.explanation ?? audit.errorMessage,
          items: failingItems(audit.details),
        });
      }
    }
  }

  const settings = lhr!.configSettings;
  const throttling = settings.throttling;
  console.log(
    `Lighthouse ${lhr!.lighthouseVersion}, ${lhr!.environment.hostUserAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? "chromium"}, ` +
      `${settings.formFactor} (${settings.screenEmulation.width}×${settings.screenEmulation.height} @${settings.screenEmulation.deviceScaleFactor}x), ` +
      `${settings.throttlingMethod} throttling (RTT ${throttling.rttMs} ms, ${Math.round(throttling.throughputKbps)} kbit/s, CPU ×${throttling.cpuSlowdownMultiplier}), visitor, demo network\n`,
  );
  const header = ["page", ...categories.map((c) => categoryTitles[c]), "seconds"];
  const show = (score: number | null) => (score === null ? "error" : String(score));
  console.log(table([header, ...figures.map((f) => [`${f.page} ${f.path}`, ...categories.map((c) => show(f.scores[c])), f.seconds.toFixed(0)])]));
  console.log("\nPerformance metrics (simulated):\n");
  const metric = (value: number | null, m: (typeof metrics)[number]) => (value === null ? "–" : (value / m.scale).toFixed(m.digits));
  console.log(table([["page", ...metrics.map((m) => m.title)], ...figures.map((f) => [f.path, ...metrics.map((m) => metric(f.metrics[m.id], m))])]));
  for (const f of figures) {
    if (f.warnings.length) console.log(`\n${f.path}: Lighthouse warned: ${f.warnings.join(" | ")}`);
    if (f.retriedAfter.length) console.log(`\n${f.path}: measured again after ${f.retriedAfter.join(", ")}`);
  }

  if (failures.length) {
    // One entry per audit (an audit can count in two categories), with what it found on each page.
    const byAudit = new Map<string, Failure[]>();
    for (const failure of failures) byAudit.set(failure.id, [...(byAudit.get(failure.id) ?? []), failure]);
    console.log(`\nAudits that did not pass (${byAudit.size}):`);
    for (const [id, found] of byAudit) {
      const first = found[0];
      const inCategories = [...new Set(found.map((f) => f.category))].join(", ");
      console.log(`\n  ${id} (${inCategories}): ${first.title}`);
      const seen = new Set<string>();
      for (const failure of found) {
        if (seen.has(failure.path)) continue;
        seen.add(failure.path);
        const score = failure.score === null ? "error" : String(Math.round(failure.score * 100));
        const explanation = failure.explanation ? `: ${failure.explanation.replace(/\s+/g, " ")}` : "";
        const weight = failure.weight === 0 ? ", weight 0: does not lower the category score" : "";
        console.log(`    ${failure.path} (score ${score}${failure.displayValue ? `, ${failure.displayValue}` : ""}${weight})${explanation}`);
        for (const item of failure.items.slice(0, itemsShown)) console.log(`      - ${item}`);
        if (failure.items.length > itemsShown) console.log(`      … and ${failure.items.length - itemsShown} more`);
      }
    }
  } else {
    console.log("\nEvery accessibility, best-practices and SEO audit passed on every page.");
  }

  const belowFull = figures.filter((f) => enforced.some((c) => f.scores[c] !== 100));
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nRun took ${seconds.toFixed(0)} s (seeding, server, chromium and ${pages.length} Lighthouse runs).`);

  if (process.env.LIGHTHOUSE_JSON) {
    const json = {
      lighthouseVersion: lhr!.lighthouseVersion,
      userAgent: lhr!.environment.hostUserAgent,
      formFactor: settings.formFactor,
      throttlingMethod: settings.throttlingMethod,
      throttling,
      pages: figures,
      failures,
      seconds,
    };
    writeFileSync(process.env.LIGHTHOUSE_JSON, JSON.stringify(json, null, 2) + "\n");
    console.log(`Figures written to ${process.env.LIGHTHOUSE_JSON}`);
  }

  if (belowFull.length) {
    console.error(`\nBelow 100 in accessibility, best practices or SEO: ${belowFull.map((f) => f.path).join(", ")}`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
