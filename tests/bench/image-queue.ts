// Benchmark (issue 12, item 4): twenty members upload a 49-megapixel PNG avatar at once, and a
// second later another member uploads a 1 KB one. Prints how long the small upload took, what the
// large ones got, /healthz latency while it ran and the server's RSS; twice: with heavy files (just
// under 5 MB each, slow to decode) and with light ones (the same pixels in under 1 MB, so that the
// figures show the image queue more than the receiving of bodies). Figures only; `npm run bench`.
import os from "node:os";
import sharp from "sharp";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { requireBuild, rssMb, watchRss, benchServer } from "./support";

const large = 20;

const noise = (size: number) => sharp({ create: { width: size, height: size, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 60 } } });

/** 7,000 × 7,000 pixels in 7 × 7 blocks of noise: 49 MP in about 4.8 MB, slow to inflate and unfilter. */
async function heavyPng() {
  const seed = await noise(1000).png().toBuffer();
  return sharp(seed).resize(7000, 7000, { kernel: "nearest" }).png({ compressionLevel: 9 }).toBuffer();
}

/** 7,000 × 7,000 pixels of one colour: 49 MP in under 1 MB. */
const lightPng = () => sharp({ create: { width: 7000, height: 7000, channels: 3, background: "#336699" }, limitInputPixels: false }).png().toBuffer();

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const pct = (values: number[], p: number) => sorted(values)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function scenario(label: string, big: Buffer, tiny: Buffer) {
  const server = await benchServer();
  try {
    const sqlite = openServerDatabase(server.databasePath);
    const [small, ...members] = insertMembers(sqlite, large + 1, "upload");

    const upload = async (cookie: string, picture: Buffer) => {
      const form = new FormData();
      form.append("intent", "avatar");
      form.append("avatar", new File([new Uint8Array(picture)], "foto.png", { type: "image/png" }));
      const started = performance.now();
      const response = await fetch(`${server.url}/settings/profile`, { method: "POST", body: form, redirect: "manual", headers: { Origin: server.url, Cookie: cookie } });
      await response.arrayBuffer();
      return { status: response.status, retryAfter: response.headers.get("retry-after"), ms: performance.now() - started, at: performance.now() };
    };

    // /healthz every 100 ms while the uploads run.
    const health: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        await (await fetch(`${server.url}/healthz`)).text();
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();

    // The small upload alone first, as the yardstick on this machine as busy as it is now.
    const alone = await upload(small.cookie, tiny);
    const idleRss = rssMb(server.process.pid!);
    const peakRss = watchRss(server.process.pid!);
    const started = performance.now();
    const bigOnes = Promise.all(members.map((m) => upload(m.cookie, big)));
    // The large bodies are on their way; then the small one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const smallOne = await upload(small.cookie, tiny);
    const results = await bigOnes;
    const total = performance.now() - started;
    probing = false;
    await probe;
    const rss = peakRss();

    const statuses = new Map<string, number>();
    for (const r of results) {
      const key = r.retryAfter ? `${r.status} (Retry-After ${r.retryAfter})` : String(r.status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
    const accepted = results.filter((r) => r.status === 303).map((r) => r.ms);
    const refused = results.filter((r) => r.status !== 303).map((r) => r.ms);
    const avatars = (sqlite.prepare("SELECT count(*) AS n FROM members WHERE avatar_image IS NOT NULL").get() as { n: number }).n;
    sqlite.close();

    console.log(`\n${label}: ${large} uploads of a ${(big.length / 1e6).toFixed(1)} MB 7000×7000 PNG, then one of ${tiny.length} bytes (16×16 PNG) 1 s later`);
    console.log(`  small upload: ${smallOne.status} after ${seconds(smallOne.ms)} (alone: ${seconds(alone.ms)}); large uploads still unanswered then: ${results.filter((r) => r.at > smallOne.at).length} of ${large}`);
    console.log(`  large uploads: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}`);
    if (accepted.length) console.log(`    accepted: p50 ${seconds(pct(accepted, 50))}, slowest ${seconds(Math.max(...accepted))}`);
    if (refused.length) console.log(`    refused: p50 ${seconds(pct(refused, 50))}, slowest ${seconds(Math.max(...refused))}`);
    console.log(`  all answered after ${seconds(total)}; ${avatars} avatars stored`);
    console.log(`  /healthz meanwhile (${health.length} probes): p50 ${pct(health, 50).toFixed(0)} ms, p99 ${pct(health, 99).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms`);
    console.log(`  server RSS: ${idleRss.toFixed(0)} MB before, ${rss.toFixed(0)} MB at most`);
  } finally {
    await server.stop();
  }
}

requireBuild();
// The machine may be busy with other work: say how busy, since every figure depends on it.
console.log(`load average before: ${os.loadavg().map((n) => n.toFixed(1)).join(", ")} (${os.cpus().length} cores)`);
const tiny = await noise(16).png().toBuffer();
await scenario("heavy", await heavyPng(), tiny);
await scenario("light", await lightPng(), tiny);
